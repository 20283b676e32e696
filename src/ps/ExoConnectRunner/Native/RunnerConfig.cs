using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The configuration (Config.ps1): read from stdin (Read-RunnerConfig), checked
    /// (Assert-RunnerConfig: the contract version this runner reads, a mode it knows, and every
    /// field that mode reads, of its type), and the variables it names cleared (Clear-StartupVariable).
    /// </summary>
    public static class RunnerConfig
    {
        /// <summary>How deep the configuration's JSON may nest (ConvertFrom-RunnerJson's default).</summary>
        private const int MaxDepth = 100;

        /// <summary>The framed configuration, as the runner's JSON reader makes it; nothing after it is read.</summary>
        public static object Read(Stream stream, int maxBytes)
        {
            return JsonText.Read(FramedText.Read(stream, maxBytes, null), MaxDepth);
        }

        /// <summary>
        /// Removes from this process the environment variables named (a name, or a list of them;
        /// what is not a name is passed over): PowerShell and .NET have read them at the start, and
        /// the user's script, and whatever it starts, must see the job's environment.
        /// </summary>
        public static void ClearStartupVariables(object names)
        {
            names = PSValue.Bare(names);
            if (names is string)
            {
                Clear(names);
                return;
            }
            var list = names as IEnumerable;
            if (list == null) return;
            foreach (object name in list) Clear(PSValue.Bare(name));
        }

        private static void Clear(object name)
        {
            var text = name as string;
            if (!string.IsNullOrEmpty(text)) Environment.SetEnvironmentVariable(text, null);
        }

        /// <summary>
        /// Config: as the runner's JSON reader made it. FieldsByMode: per mode, fields as
        /// path:type (string, int, bool, any; a trailing ? allows null). Throws with what is wrong.
        /// </summary>
        public static void Assert(object config, int version, IDictionary fieldsByMode)
        {
            if (fieldsByMode == null) throw new ArgumentNullException("fieldsByMode");
            CultureInfo invariant = CultureInfo.InvariantCulture;
            object given = Field(config, "version");
            if (!IsInteger(given) || Convert.ToInt64(given, invariant) != version)
            {
                string which = given == null ? "no version" : "version " + Convert.ToString(given, invariant);
                throw new FormatException("This runner reads configuration version " + version.ToString(invariant) + " and was given " + which + ": the action's JavaScript (dist/) and its PowerShell (dist/ps) come from different builds. Use one release of the action, or rebuild both with npm run build.");
            }
            string mode = Field(config, "mode") as string;
            if (mode == null || !fieldsByMode.Contains(mode))
            {
                throw new FormatException("The configuration's mode '" + Convert.ToString(Field(config, "mode"), invariant) + "' is not one this runner knows (run, remove-session).");
            }
            foreach (object entry in (IEnumerable)fieldsByMode[mode])
            {
                string field = Convert.ToString(entry, invariant);
                int colon = field.IndexOf(':');
                string path = field.Substring(0, colon);
                string type = field.Substring(colon + 1);
                object value = config;
                foreach (string name in path.Split('.'))
                {
                    PSPropertyInfo property = PropertyOf(value, name);
                    if (property == null) throw new FormatException("The configuration has no field " + path + ", which this runner reads.");
                    value = PSValue.Bare(property.Value);
                }
                bool nullable = type.EndsWith("?", StringComparison.Ordinal);
                bool fits;
                switch (type.TrimEnd('?'))
                {
                    case "string": fits = value is string; break;
                    case "int": fits = IsInteger(value); break;
                    case "bool": fits = value is bool; break;
                    default: fits = true; break;
                }
                if (!(fits || (nullable && value == null))) throw new FormatException("The configuration's field " + path + " is not a " + type + ".");
            }
        }

        private static object Field(object value, string name)
        {
            PSPropertyInfo property = PropertyOf(value, name);
            return property == null ? null : PSValue.Bare(property.Value);
        }

        /// <summary>The named property of a JSON object as the reader makes it (a PSCustomObject), or null.</summary>
        private static PSPropertyInfo PropertyOf(object value, string name)
        {
            var wrapped = value as PSObject;
            return wrapped != null && wrapped.BaseObject is PSCustomObject ? wrapped.Properties[name] : null;
        }

        /// <summary>An integer in Int32's range, as the reader types it (int, or long when larger).</summary>
        private static bool IsInteger(object value)
        {
            if (value is int) return true;
            if (!(value is long)) return false;
            long number = (long)value;
            return number >= int.MinValue && number <= int.MaxValue;
        }
    }
}
