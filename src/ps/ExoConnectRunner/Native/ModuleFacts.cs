using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Text;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// What the pinned import reads of the Exchange module (ModuleProvisioning.ps1, SafeCommands.ps1):
    /// where the pinned copy is, whether its manifest could name a prerelease, the loaded module's
    /// prerelease label and version, and its own commands. As script, these small functions' first
    /// calls cost every run about 20 ms.
    /// </summary>
    public static class ModuleFacts
    {
        /// <summary>
        /// The first folder/name/version/name.psd1 on the module path (PSModulePath's text), as
        /// PowerShell's own look-up takes it; null when there is none (Import-PinnedModule).
        /// </summary>
        public static string FindPinnedCopy(string modulePath, string name, string version)
        {
            if (modulePath == null) return null;
            foreach (string folder in modulePath.Split(Path.PathSeparator))
            {
                if (folder.Length == 0) continue;
                string manifest = Path.Combine(folder, name, version, name + ".psd1");
                if (File.Exists(manifest)) return manifest;
            }
            return null;
        }

        /// <summary>
        /// Whether a manifest's text could give a prerelease label: it has the word, or a character
        /// that could spell the key another way (a backtick escape, anything outside ASCII, which a
        /// comparison by culture may ignore). Only then is its syntax tree read (Test-PrereleaseManifest).
        /// </summary>
        public static bool MayNamePrerelease(string manifestPath)
        {
            string text = File.ReadAllText(manifestPath);
            bool plain = text.IndexOf('`') < 0 && Encoding.UTF8.GetByteCount(text) == text.Length;
            return !plain || text.IndexOf("prerelease", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>
        /// A loaded or listed module's prerelease label, '' for a release (Get-PrereleaseLabel):
        /// PrivateData.PSData.Prerelease as text, as PowerShellGet reads it, without spaces around
        /// it or a leading '-'.
        /// </summary>
        public static string PrereleaseLabel(PSModuleInfo module)
        {
            if (module == null) throw new ArgumentNullException("module");
            var data = PSValue.Bare(module.PrivateData) as Hashtable;
            var psData = data == null ? null : PSValue.Bare(data["PSData"]) as Hashtable;
            if (psData == null) return string.Empty;
            return Label(psData["Prerelease"]);
        }

        /// <summary>A Prerelease value as text (ConvertTo-PrereleaseLabel), '' for none.</summary>
        public static string Label(object value)
        {
            string text = LanguagePrimitives.ConvertTo<string>(value) ?? string.Empty;
            return text.Trim().TrimStart('-');
        }

        /// <summary>The version that runs, as module-version writes it: 3.10.0-Preview1, or 3.10.0 (Get-ModuleVersionText).</summary>
        public static string VersionText(PSModuleInfo module)
        {
            if (module == null) throw new ArgumentNullException("module");
            string version = module.Version == null ? string.Empty : module.Version.ToString();
            string label = PrereleaseLabel(module);
            return label.Length == 0 ? version : version + "-" + label;
        }

        /// <summary>
        /// Keeps in the table the named commands the module itself exports, a function as its script
        /// block (Register-ExchangeCommand): the script can replace a function in the module's scope,
        /// which changes the FunctionInfo in place, not the block it had.
        /// </summary>
        public static void RegisterCommands(PSModuleInfo module, string[] names, IDictionary table)
        {
            if (module == null) throw new ArgumentNullException("module");
            if (names == null) throw new ArgumentNullException("names");
            if (table == null) throw new ArgumentNullException("table");
            var exported = module.ExportedCommands;
            foreach (string name in names)
            {
                CommandInfo command;
                if (!exported.TryGetValue(name, out command)) continue;
                var function = command as FunctionInfo;
                table[name] = function != null ? (object)function.ScriptBlock : command;
            }
        }
    }
}
