using System;
using System.Globalization;
using System.Reflection;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The exit code the user's script asked for through $host.SetShouldExit (UserScript.ps1's
    /// Get-RequestedExitCode). The console host keeps it in private fields (PowerShell 7:
    /// _setShouldExitCalled and _exitCodeFromRunspace; Windows PowerShell 5.1: the same without the
    /// underscore), with nothing public to read it back.
    /// </summary>
    public static class RequestedExitCode
    {
        /// <summary>
        /// The code, or null when nothing asked. Another host, or a PowerShell that names the
        /// fields otherwise: null, and the script's exit code stays as it was.
        /// </summary>
        public static int? Read(object host)
        {
            if (host == null) return null;
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.NonPublic;
            PropertyInfo external = host.GetType().GetProperty("ExternalHost", flags);
            if (external == null) return null;
            object console = external.GetValue(host, null);
            if (console == null) return null;
            foreach (string prefix in new[] { "_", string.Empty })
            {
                FieldInfo called = console.GetType().GetField(prefix + "setShouldExitCalled", flags);
                FieldInfo code = console.GetType().GetField(prefix + "exitCodeFromRunspace", flags);
                if (called == null || code == null) continue;
                object wasCalled = called.GetValue(console);
                if (!(wasCalled is bool) || !(bool)wasCalled) return null;
                return Convert.ToInt32(code.GetValue(console), CultureInfo.InvariantCulture);
            }
            return null;
        }
    }
}
