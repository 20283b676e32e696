using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The language mode of this thread's runspace, given back by Dispose. User code run in
    /// between (the script, or a property getter of an object it returned) may set another through
    /// $ExecutionContext.SessionState.LanguageMode, and PowerShell keeps it for the rest of every
    /// function that was running, the runner's own included: under ConstrainedLanguage those could
    /// call no method of the runner's types. Script cannot set it back from there; compiled code can.
    /// https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_language_modes
    /// </summary>
    internal sealed class KeptLanguageMode : IDisposable
    {
        private readonly SessionStateProxy state;
        private readonly PSLanguageMode mode;

        internal KeptLanguageMode()
        {
            Runspace runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            state = runspace.SessionStateProxy;
            mode = state.LanguageMode;
        }

        /// <summary>Gives the runspace back the language mode it had when this was made.</summary>
        internal void Restore()
        {
            if (state != null && state.LanguageMode != mode) state.LanguageMode = mode;
        }

        public void Dispose()
        {
            Restore();
        }
    }
}
