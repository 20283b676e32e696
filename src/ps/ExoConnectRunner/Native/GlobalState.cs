using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The global state the teardown's commands run in (Teardown.ps1's Invoke-WithDefaultGlobalState):
    /// PowerShell's default preferences, an empty $PSDefaultParameterValues, no engine hooks and a
    /// location that exists; what the script had is put back afterwards. Module functions, such as
    /// Disconnect-ExchangeOnline, read these from the global scope. Static methods that take the
    /// runner's SessionState as the module loaded it: they run after the user's script, whose type
    /// data (Update-TypeData) could stand in for an instance's members, $ExecutionContext's included.
    /// https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables
    /// </summary>
    public sealed class GlobalState
    {
        /// <summary>
        /// The engine's hooks into every command look-up and location change
        /// (about_Automatic_Variables, $ExecutionContext). LocationChangedAction is not on Windows
        /// PowerShell 5.1's type: a property the type lacks is passed over.
        /// </summary>
        private static readonly string[] HookNames = { "PreCommandLookupAction", "PostCommandLookupAction", "CommandNotFoundAction", "LocationChangedAction" };

        /// <summary>The global variable of parameter defaults, emptied for the teardown.</summary>
        private const string ParameterDefaults = "PSDefaultParameterValues";

        private readonly SessionState _state;
        private readonly IDictionary _defaults;
        private readonly List<KeyValuePair<string, object>> _saved = new List<KeyValuePair<string, object>>();
        private readonly IDictionary _hooks;
        private PathInfo _location;

        private GlobalState(SessionState state, IDictionary defaults, IDictionary hooks)
        {
            _state = state;
            _defaults = defaults;
            _hooks = hooks;
        }

        /// <summary>
        /// Saves the global variables named in defaults (name, value), and $PSDefaultParameterValues,
        /// those that exist, and takes the engine's hooks out. Nothing is changed otherwise until
        /// <see cref="ApplyDefaults"/>.
        /// </summary>
        public static GlobalState Save(SessionState state, IDictionary defaults)
        {
            if (state == null) throw new ArgumentNullException("state");
            if (defaults == null) throw new ArgumentNullException("defaults");
            var saved = new GlobalState(state, defaults, ClearHooks(state));
            var names = new List<string>();
            foreach (object name in defaults.Keys) names.Add((string)name);
            names.Add(ParameterDefaults);
            foreach (string name in names)
            {
                PSVariable variable = state.PSVariable.Get("global:" + name);
                if (variable != null) saved._saved.Add(new KeyValuePair<string, object>(name, variable.Value));
            }
            return saved;
        }

        /// <summary>
        /// Sets each of the defaults Save was given globally, $PSDefaultParameterValues to an empty
        /// dictionary, and the location to location, or to the temp directory where location is
        /// empty or gone. What cannot be set (a constant the script made) stays as it is.
        /// </summary>
        public static void ApplyDefaults(GlobalState saved, CommandInfo setVariable, string location)
        {
            if (saved == null) throw new ArgumentNullException("saved");
            foreach (DictionaryEntry entry in saved._defaults) Set(saved._state, (string)entry.Key, entry.Value, setVariable);
            Set(saved._state, ParameterDefaults, new DefaultParameterDictionary(), setVariable);
            string safe = System.IO.Path.GetTempPath();
            if (!string.IsNullOrEmpty(location) && System.IO.Directory.Exists(location)) safe = location;
            PathInfo here = null;
            try
            {
                here = saved._state.Path.CurrentLocation;
            }
            catch (Exception)
            {
                // A location on a drive the script removed: nothing to put back but the move.
            }
            saved._location = here;
            // Most scripts leave the location where the run put it: then nothing moves.
            if (!IsAt(here, safe)) saved.TrySetLocation(safe);
        }

        /// <summary>
        /// Whether the location is this file-system folder already, as it is when PowerShell
        /// started there: Set-Location to it would change nothing.
        /// </summary>
        public static bool IsLocation(SessionState state, string folder)
        {
            if (state == null) throw new ArgumentNullException("state");
            if (string.IsNullOrEmpty(folder)) return false;
            try
            {
                return IsAt(state.Path.CurrentLocation, folder);
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>
        /// A global variable's value, or null where there is none: as Get-Variable -Scope Global
        /// -ValueOnly -ErrorAction Ignore, without a cmdlet's first call.
        /// </summary>
        public static object Value(SessionState state, string name)
        {
            if (state == null) throw new ArgumentNullException("state");
            PSVariable variable = state.PSVariable.Get("global:" + name);
            return variable == null ? null : variable.Value;
        }

        /// <summary>
        /// Removes a global variable, as Remove-Variable -Scope Global -Force -ErrorAction Ignore
        /// (through it, where there is one to remove); nothing where there is none.
        /// </summary>
        public static void Remove(SessionState state, string name, CommandInfo removeVariable)
        {
            if (state == null) throw new ArgumentNullException("state");
            if (removeVariable == null) throw new ArgumentNullException("removeVariable");
            if (state.PSVariable.Get("global:" + name) == null) return;
            SafeCommands.Invoke(removeVariable, new Hashtable { { "Name", name }, { "Scope", "Global" }, { "Force", true }, { "ErrorAction", ActionPreference.Ignore } });
        }

        /// <summary>Puts back the variables Save saved, then the location ApplyDefaults found, where the location is elsewhere now.</summary>
        public static void RestoreValues(GlobalState saved, CommandInfo setVariable)
        {
            if (saved == null) throw new ArgumentNullException("saved");
            foreach (KeyValuePair<string, object> entry in saved._saved) Set(saved._state, entry.Key, entry.Value, setVariable);
            if (saved._location != null && !saved.IsStill(saved._location)) saved.TrySetLocation(saved._location.Path);
        }

        /// <summary>Puts back the engine's hooks that Save took out: last, after the location.</summary>
        public static void RestoreHooks(GlobalState saved)
        {
            if (saved == null) throw new ArgumentNullException("saved");
            object intrinsics = saved._state.InvokeCommand;
            foreach (DictionaryEntry hook in saved._hooks)
            {
                try
                {
                    intrinsics.GetType().GetProperty((string)hook.Key).SetValue(intrinsics, hook.Value, null);
                }
                catch (Exception)
                {
                    // A hook that cannot be put back stays out: the script has ended.
                }
            }
        }

        /// <summary>Takes the engine's hooks out; returns those that were set, by name.</summary>
        public static IDictionary ClearHooks(SessionState state)
        {
            if (state == null) throw new ArgumentNullException("state");
            CommandInvocationIntrinsics intrinsics = state.InvokeCommand;
            var hooks = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (string name in HookNames)
            {
                PropertyInfo property = intrinsics.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                if (property == null || !property.CanRead || !property.CanWrite) continue;
                object value = property.GetValue(intrinsics, null);
                if (value == null) continue;
                hooks[name] = value;
                property.SetValue(intrinsics, null, null);
            }
            return hooks;
        }

        /// <summary>
        /// The functions and aliases a look-up from this session state sees, the global scope's and
        /// the runner's own, as a set. Set-Alias and a function made anew give new objects; a
        /// function defined again where one was before keeps its object, so redefining PowerShell's
        /// own or a module's global function is not seen.
        /// </summary>
        public static HashSet<object> ScopeCommands(SessionState state)
        {
            if (state == null) throw new ArgumentNullException("state");
            return new HashSet<object>(state.InvokeCommand.GetCommands("*", CommandTypes.Alias | CommandTypes.Function | CommandTypes.Filter, true));
        }

        /// <summary>Whether two sets of ScopeCommands hold the same commands.</summary>
        public static bool SameCommands(HashSet<object> now, HashSet<object> before)
        {
            if (now == null) throw new ArgumentNullException("now");
            return before != null && now.SetEquals(before);
        }

        /// <summary>
        /// Sets a global variable whatever the script made of it. Assigned as a script's assignment
        /// would be (the variable's validation and breakpoints included), or made where there is none;
        /// one the script made read-only is set by Set-Variable -Force instead, which passes over ReadOnly.
        /// One the script made Constant cannot change, and stays as it is. Returns why a variable
        /// stayed unchanged, or null.
        /// https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/set-variable
        /// </summary>
        public static string Set(SessionState state, string name, object value, CommandInfo setVariable)
        {
            if (state == null) throw new ArgumentNullException("state");
            try
            {
                PSVariable variable = state.PSVariable.Get("global:" + name);
                if (variable == null)
                {
                    // Not there (PSModuleAutoLoadingPreference is not, by default): made globally.
                    state.PSVariable.Set("global:" + name, value);
                    return null;
                }
                if ((variable.Options & (ScopedItemOptions.ReadOnly | ScopedItemOptions.Constant)) == ScopedItemOptions.None)
                {
                    variable.Value = value;
                    return null;
                }
            }
            catch (Exception)
            {
                // Refused as an assignment (a validation attribute, say): Set-Variable has its say.
            }
            if (setVariable == null) return "$" + name + " unchanged: no Set-Variable to set it with.";
            try
            {
                SafeCommands.Invoke(setVariable, new Hashtable { { "Name", name }, { "Scope", "Global" }, { "Value", value }, { "Force", true }, { "WhatIf", false }, { "ErrorAction", ActionPreference.Stop } });
                return null;
            }
            catch (Exception e)
            {
                return "$" + name + " unchanged: " + e.Message;
            }
        }

        /// <summary>Whether the location is this file-system folder; false where either cannot be read.</summary>
        private static bool IsAt(PathInfo here, string folder)
        {
            try
            {
                if (here == null || here.Provider == null || here.Provider.Name != "FileSystem") return false;
                char[] separators = { System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar };
                string current = here.ProviderPath.TrimEnd(separators);
                return current.Length > 0 && string.Equals(current, System.IO.Path.GetFullPath(folder).TrimEnd(separators), StringComparison.Ordinal);
            }
            catch (Exception)
            {
                // A drive the script removed, a path .NET refuses: not there, so a move is made.
                return false;
            }
        }

        /// <summary>Whether the location is still this one (the body did not move it).</summary>
        private bool IsStill(PathInfo location)
        {
            try
            {
                return string.Equals(_state.Path.CurrentLocation.Path, location.Path, StringComparison.Ordinal);
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>
        /// A path with PowerShell's wildcard characters escaped (` * ? [ ]). Not WildcardPattern.Escape,
        /// which leaves the backtick itself unescaped before PowerShell 7.6
        /// (https://github.com/PowerShell/PowerShell/issues/16306).
        /// </summary>
        private static string EscapeWildcards(string path)
        {
            var escaped = new System.Text.StringBuilder(path.Length + 8);
            foreach (char c in path)
            {
                if (c == '`' || c == '*' || c == '?' || c == '[' || c == ']') escaped.Append('`');
                escaped.Append(c);
            }
            return escaped.ToString();
        }

        /// <summary>As Set-Location -LiteralPath: the path's wildcard characters are escaped.</summary>
        private void TrySetLocation(string path)
        {
            try
            {
                _state.Path.SetLocation(EscapeWildcards(path));
            }
            catch (Exception)
            {
                // The location stays where it is: the teardown's commands name no relative path.
            }
        }
    }
}
