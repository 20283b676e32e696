using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;
using System.Threading.Tasks;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// Compiles the runner's own functions that a run is about to call on a thread-pool thread, while
    /// the run goes on. PowerShell compiles a function whole at its first call, about 2 ms a kilobyte
    /// of its text: a typical run's first calls cost it well over 100 ms of compiling on its one
    /// thread. Compiled ahead, by PowerShell's own compile, the first call finds the work done, or
    /// waits for the part in progress.
    ///
    /// That compile is the internal ScriptBlock.Compile(bool): PowerShell has no public one. It
    /// holds the script block's lock and checks whether the work is done, since a script block can
    /// be invoked from any thread and runspace (CompiledScriptBlockData, in
    /// https://github.com/PowerShell/PowerShell/blob/master/src/System.Management.Automation/engine/runtime/CompiledScriptBlock.cs).
    /// Speed only: where the member is missing (another PowerShell) or a compile fails, the function
    /// compiles at its first call as always, and reports its error there (docs/decisions/0015).
    ///
    /// Then it makes ready what the script's first formatted output needs: PowerShell 7.2 and
    /// later style a table's header and a list's labels ($PSStyle), and take the styles out again
    /// for text that goes elsewhere than a console, as Out-String's does, with a compiled regular
    /// expression that is built and compiled to machine code at its first use: 20-40 ms, on the
    /// main thread, in the first table a script returned (about_ANSI_Terminals,
    /// https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_ansi_terminals).
    /// </summary>
    public static class CompileAhead
    {
        private static readonly MethodInfo Compile = typeof(ScriptBlock).GetMethod(
            "Compile", BindingFlags.Instance | BindingFlags.NonPublic, null, new[] { typeof(bool) }, null);

        /// <summary>
        /// Compiles the functions in own that names lists, in that order, as a call compiles them
        /// (optimized: a function called, not dot-sourced, runs in a scope of its own). The
        /// names own does not hold are skipped, and all of them where PowerShell lacks the member;
        /// the style removal is made ready either way. The task ends when all are done; it never fails.
        /// </summary>
        public static Task Start(IDictionary own, string[] names)
        {
            if (own == null) throw new ArgumentNullException("own");
            if (names == null) throw new ArgumentNullException("names");
            // Read here, on the caller's thread: own is a Hashtable the run goes on writing to.
            var blocks = new List<ScriptBlock>();
            foreach (string name in names)
            {
                FunctionInfo function = OwnFunctions.Find(own, name);
                if (function != null && function.ScriptBlock != null) blocks.Add(function.ScriptBlock);
            }
            return Task.Run(() =>
            {
                CompileFunctions(blocks);
                PrepareStyleRemoval();
            });
        }

        /// <summary>Public since PowerShell 7.2; missing from Windows PowerShell 5.1, which has no styles.</summary>
        private static readonly MethodInfo GetOutputString = typeof(PSHostUserInterface).GetMethod(
            "GetOutputString", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(bool) }, null);

        private static void CompileFunctions(List<ScriptBlock> blocks)
        {
            if (Compile == null || Compile.ReturnType != typeof(bool)) return;
            var optimized = new object[] { true };
            foreach (ScriptBlock block in blocks)
            {
                try
                {
                    Compile.Invoke(block, optimized);
                }
                catch (Exception)
                {
                    // The first call compiles it, and reports the error.
                }
            }
        }

        /// <summary>
        /// A styled text made plain, as for a console that takes no styles: the same regular
        /// expression, the same code path as Out-String's. It writes nothing and reads no setting.
        /// </summary>
        private static void PrepareStyleRemoval()
        {
            if (GetOutputString == null) return;
            try
            {
                GetOutputString.Invoke(null, new object[] { "\u001b[1mx\u001b[0m", false });
            }
            catch (Exception)
            {
                // The first table does it, as always.
            }
        }
    }
}
