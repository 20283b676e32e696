using System;
using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The nested pipelines that Stop.ps1's Invoke-Stoppable and Invoke-Isolated run their work in,
    /// in this runspace, made ready to invoke. The script invokes them and handles what they end
    /// with, as before; made in script, the calls that set them up cost each run about 8 ms of
    /// first binding apiece.
    /// </summary>
    public static class NestedPipelines
    {
        private const string StoppableScript = "param($Body, $Box) try { & $Body } catch { $Box.Error = $_ }";
        private const string IsolatedScript = "param($Body) & $Body";

        /// <summary>Body in a nested pipeline that leaves its terminating error in Box's Error.</summary>
        public static PowerShell Stoppable(ScriptBlock body, Hashtable box)
        {
            if (body == null) throw new ArgumentNullException("body");
            if (box == null) throw new ArgumentNullException("box");
            return PowerShell.Create(RunspaceMode.CurrentRunspace).AddScript(StoppableScript, true).AddArgument(body).AddArgument(box);
        }

        /// <summary>Body in a nested pipeline of its own, outside every try statement of the caller's.</summary>
        public static PowerShell Isolated(ScriptBlock body)
        {
            if (body == null) throw new ArgumentNullException("body");
            return PowerShell.Create(RunspaceMode.CurrentRunspace).AddScript(IsolatedScript, true).AddArgument(body);
        }

        /// <summary>
        /// Invokes one of those, and gives the runspace back the language mode it had before: the
        /// user's script, which runs in one, may leave another (KeptLanguageMode).
        /// </summary>
        public static Collection<PSObject> Invoke(PowerShell nested)
        {
            if (nested == null) throw new ArgumentNullException("nested");
            using (new KeptLanguageMode())
            {
                return nested.Invoke();
            }
        }
    }
}
