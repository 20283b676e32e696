using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// A run's first steps (Start-ExoConnectRunner): the configuration read from stdin, its events
    /// file opened, the event key taken out of it, the configuration checked, and the variables
    /// set only for this process's start cleared. One compiled call: as script, these steps' first
    /// calls cost every run about 20 ms. It does not throw: Failure says what failed, and Unread
    /// whether that was before there was a configuration (and so no events file) at all.
    /// </summary>
    public sealed class RunStart
    {
        private RunStart()
        {
        }

        /// <summary>The configuration (Config.ps1's reader), its eventKey emptied; null while Unread.</summary>
        public object Config { get; private set; }

        /// <summary>The events file's path, or null when the configuration names none.</summary>
        public string EventsPath { get; private set; }

        /// <summary>The events file, signed with the run's key; unsigned when the key was refused.</summary>
        public EventWriter Events { get; private set; }

        /// <summary>What failed, or null.</summary>
        public Exception Failure { get; private set; }

        /// <summary>Whether the configuration could not be read at all.</summary>
        public bool Unread { get; private set; }

        /// <summary>
        /// Stdin: read up to the configuration's end, and no further (what follows is the stop
        /// watcher's). MaxBytes, Version, FieldsByMode: as Read and Assert of RunnerConfig take them.
        /// </summary>
        public static RunStart Begin(Stream stdin, int maxBytes, int version, IDictionary fieldsByMode)
        {
            var start = new RunStart();
            try
            {
                start.Config = RunnerConfig.Read(stdin, maxBytes);
            }
            catch (Exception failure)
            {
                start.Unread = true;
                start.Failure = failure;
                return start;
            }
            try
            {
                // Like the credentials, the key must not stay in what the rest of the run can reach.
                PSPropertyInfo keyField = PSValue.PropertyOf(start.Config, "eventKey");
                string key = keyField == null ? null : PSValue.Bare(keyField.Value) as string;
                if (keyField != null) keyField.Value = null;
                start.EventsPath = PSValue.Field(PSValue.Field(start.Config, "paths"), "events") as string;
                if (start.EventsPath != null) start.OpenEvents(key);
                RunnerConfig.Assert(start.Config, version, fieldsByMode);
                RunnerConfig.ClearStartupVariables(PSValue.Field(start.Config, "unsetVariables"));
            }
            catch (Exception failure)
            {
                start.Failure = failure;
            }
            return start;
        }

        /// <summary>
        /// The run's connections, one entry per workload, each { connection, credentials }: the
        /// configuration's list (two for exchange-online, security-compliance), or else its one
        /// connection with its credentials.
        /// </summary>
        public static object[] Connections(object config)
        {
            object listed = PSValue.Field(config, "connections");
            if (listed != null)
            {
                var many = listed as object[];
                if (many != null) return many;
                if (listed is IEnumerable && !(listed is string) && !(listed is IDictionary))
                {
                    var items = new List<object>();
                    foreach (object item in (IEnumerable)listed) items.Add(item);
                    return items.ToArray();
                }
                return new[] { listed };
            }
            var one = new PSObject();
            one.Properties.Add(new PSNoteProperty("connection", PSValue.Field(config, "connection")));
            one.Properties.Add(new PSNoteProperty("credentials", PSValue.Field(config, "credentials")));
            return new object[] { one };
        }

        /// <summary>Every credential of the run, for the held secrets: the configuration's own, then each connection's.</summary>
        public static object[] Credentials(object config, object[] connections)
        {
            var all = new List<object> { PSValue.Field(config, "credentials") };
            if (connections != null) foreach (object entry in connections) all.Add(PSValue.Field(entry, "credentials"));
            return all.ToArray();
        }

        private void OpenEvents(string key)
        {
            try
            {
                Events = new EventWriter(EventsPath, key);
            }
            catch
            {
                // A key that is not base64: the events are written unsigned (the action ignores
                // them), so that the error about it still reaches the events file's reader and the log.
                Events = new EventWriter(EventsPath, null);
                throw;
            }
        }
    }
}
