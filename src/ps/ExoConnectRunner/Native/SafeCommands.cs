using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The cmdlets the runner calls, resolved once into command objects (SafeCommands.ps1's
    /// Add-SafeCommand): a function or alias the user's script defines later cannot stand in for them.
    /// </summary>
    public static class SafeCommands
    {
        /// <summary>
        /// Each module-qualified name (Module\Command) as its CmdletInfo, into commands by its name.
        /// A module named for the first time (imported, its name added) is imported from
        /// PowerShell's own folder by path, globally, where loading it by a command's name would
        /// have put it; Microsoft.PowerShell.Core has no folder there, and a module without one is
        /// left to the look-up.
        /// </summary>
        public static void Add(SessionState state, IDictionary commands, ISet<string> imported, string[] names)
        {
            if (state == null) throw new ArgumentNullException("state");
            if (commands == null) throw new ArgumentNullException("commands");
            if (imported == null) throw new ArgumentNullException("imported");
            if (names == null) throw new ArgumentNullException("names");
            CommandInvocationIntrinsics invoke = state.InvokeCommand;
            foreach (string qualified in names)
            {
                int separator = qualified == null ? -1 : qualified.IndexOf('\\');
                if (separator < 1)
                    throw new RuntimeException("Add-SafeCommand takes module-qualified names (Module\\Command), not " + qualified + ".");
                string module = qualified.Substring(0, separator);
                if (imported.Add(module)) ImportBuiltIn(state, module);
                CommandInfo found = invoke.GetCommand(qualified, CommandTypes.Cmdlet);
                if (found == null)
                    throw new RuntimeException("The runner needs " + qualified + ", and this PowerShell does not have it.");
                commands[found.Name] = found;
            }
        }

        private static void ImportBuiltIn(SessionState state, string module)
        {
            string home = (string)state.PSVariable.GetValue("PSHOME");
            string manifest = Path.Combine(Path.Combine(Path.Combine(home, "Modules"), module), module + ".psd1");
            if (!File.Exists(manifest)) return;
            CommandInfo import = state.InvokeCommand.GetCommand("Microsoft.PowerShell.Core\\Import-Module", CommandTypes.Cmdlet);
            // Stop: a manifest that fails to import fails the run, as the script's import did
            // (the module's own preference is Stop too, which the nested pipeline inherits).
            Invoke(import, new Hashtable { { "Name", manifest }, { "Global", true }, { "ErrorAction", ActionPreference.Stop } });
        }

        /// <summary>
        /// Runs a command object with these parameters (a switch as true) in a nested pipeline of
        /// the current runspace, from the pipeline's own thread; its terminating error is thrown.
        /// </summary>
        internal static void Invoke(CommandInfo command, IDictionary parameters)
        {
            using (PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                shell.AddCommand(command).AddParameters(parameters).Invoke();
            }
        }
    }
}
