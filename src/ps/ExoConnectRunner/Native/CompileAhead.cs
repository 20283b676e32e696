using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
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
    /// </summary>
    public static class CompileAhead
    {
        private static readonly MethodInfo Compile = typeof(ScriptBlock).GetMethod(
            "Compile", BindingFlags.Instance | BindingFlags.NonPublic, null, new[] { typeof(bool) }, null);

        /// <summary>
        /// Compiles the functions in own that names lists, in that order, as a call compiles them
        /// (optimized: a function called, not dot-sourced, runs in a scope of its own). The
        /// names own does not hold are skipped. The task ends when all are done; it never fails.
        /// </summary>
        public static Task Start(IDictionary own, string[] names)
        {
            if (own == null) throw new ArgumentNullException("own");
            if (names == null) throw new ArgumentNullException("names");
            if (Compile == null || Compile.ReturnType != typeof(bool)) return Task.FromResult(false);
            // Read here, on the caller's thread: own is a Hashtable the run goes on writing to.
            var blocks = new List<ScriptBlock>();
            foreach (string name in names)
            {
                FunctionInfo function = OwnFunctions.Find(own, name);
                if (function != null && function.ScriptBlock != null) blocks.Add(function.ScriptBlock);
            }
            return Task.Run(() => CompileAll(blocks));
        }

        private static void CompileAll(List<ScriptBlock> blocks)
        {
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
    }
}
