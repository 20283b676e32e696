using System;
using System.Collections;
using System.IO;
using System.IO.Pipes;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// Reads the action's stdin after the configuration, on a thread of its own (Stop.ps1 describes
    /// the protocol). Until a stop is asked for, it costs the run no PowerShell: no runspace, no
    /// script. When one is, it opens a runspace with no commands and runs there the script that
    /// stops the work (Stop.ps1's StopRunningWork), with the same state table.
    /// </summary>
    public sealed class StopWatcher
    {
        /// <summary>Made on the watcher's thread when it reads a line, not as the run starts: most runs read none.</summary>
        private static class StopPatterns
        {
            internal static readonly Regex Line = new Regex("\"type\"\\s*:\\s*\"stop\"", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
            internal static readonly Regex Reason = new Regex("\"reason\"\\s*:\\s*\"(timeout|cancel)\"", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        }

        private readonly IDictionary state;
        private readonly string stopScript;
        private readonly ManualResetEvent ready = new ManualResetEvent(false);

        /// <summary>
        /// State: the run's synchronized table (Stop.ps1's New-StopState), which this fills in
        /// (Ready, InputError, Keep, Reason, WatchError) and reads (Done). StopScript: the text of the
        /// script run once a stop is asked for, given the table and whether this is Windows.
        /// </summary>
        public StopWatcher(IDictionary state, string stopScript)
        {
            if (state == null) throw new ArgumentNullException("state");
            if (stopScript == null) throw new ArgumentNullException("stopScript");
            this.state = state;
            this.stopScript = stopScript;
            state["Ready"] = ready;
        }

        /// <summary>
        /// Whether this is Windows, as Stop.ps1's Test-Windows tells it (Windows PowerShell 5.1 runs
        /// only there).
        /// </summary>
        public static bool OnWindows
        {
            get { return Environment.OSVersion.Platform == PlatformID.Win32NT; }
        }

        /// <summary>
        /// The syntax trees of the named functions (Functions: the runner's table of its own, name to
        /// FunctionInfo), for the stop script to define copies of in its runspace. Taken when the
        /// watcher starts, before the user's script runs: a script that reaches the runner's module
        /// and replaces one of them changes its FunctionInfo in place, not the tree taken here.
        /// </summary>
        public static Ast[] SyntaxTrees(IDictionary functions, string[] names)
        {
            if (functions == null) throw new ArgumentNullException("functions");
            if (names == null) throw new ArgumentNullException("names");
            var trees = new Ast[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                FunctionInfo function = OwnFunctions.Find(functions, names[i]);
                if (function == null) throw new ArgumentException("No function " + names[i] + " in the runner's table.", "names");
                trees[i] = function.ScriptBlock.Ast;
            }
            return trees;
        }

        /// <summary>
        /// Starts the thread. KeepChildInput leaves this process's stdin as it is (the tests' own
        /// process); otherwise native commands the user's script starts get an empty stdin.
        /// </summary>
        public void Start(Stream stream, bool onWindows, bool keepChildInput)
        {
            if (stream == null) throw new ArgumentNullException("stream");
            // A background thread: a read that never returns does not hold the process open.
            var thread = new Thread(() => Watch(stream, onWindows, keepChildInput), 256 * 1024);
            thread.IsBackground = true;
            thread.Name = "exo-connect-action stop watcher";
            thread.Start();
        }

        private void Watch(Stream stream, bool onWindows, bool keepChildInput)
        {
            // Nothing may escape this thread: an exception on it would end the process, with no
            // finally blocks and no teardown.
            try
            {
                try
                {
                    if (keepChildInput) throw new InvalidOperationException("left as it is");
                    GiveChildrenEmptyInput(onWindows);
                }
                catch (Exception e)
                {
                    state["InputError"] = e.Message;
                }
                ready.Set();
                string reason = ReadUntilStop(stream);
                if (reason == null) return;
                state["Reason"] = reason;
                if (IsDone()) return;
                RunStopScript(onWindows);
            }
            catch (Exception e)
            {
                state["WatchError"] = e.Message;
            }
        }

        /// <summary>
        /// The reason of the first stop line; parent-gone when stdin ends or can no longer be read
        /// (the action is gone); null when the teardown started first. Other lines are ignored.
        /// </summary>
        private string ReadUntilStop(Stream stream)
        {
            StreamReader reader;
            try { reader = new StreamReader(stream, new UTF8Encoding(false)); } catch (ArgumentException) { return "parent-gone"; }
            while (true)
            {
                string line;
                try { line = reader.ReadLine(); } catch (Exception) { line = null; }
                if (IsDone()) return null;
                if (line == null) return "parent-gone";
                if (StopPatterns.Line.IsMatch(line))
                {
                    Match match = StopPatterns.Reason.Match(line);
                    return match.Success ? match.Groups[1].Value.ToLowerInvariant() : "cancel";
                }
            }
        }

        private bool IsDone()
        {
            object done = state["Done"];
            return done is bool && (bool)done;
        }

        /// <summary>
        /// Native commands that the user's script starts inherit this process's stdin. They get an
        /// empty one, as when Node closed stdin after the configuration: a tool that reads stdin must
        /// neither wait for the end of the run nor swallow the stop request. .NET reads the action's
        /// stdin through a handle of its own, so the standard one can change.
        /// </summary>
        private void GiveChildrenEmptyInput(bool onWindows)
        {
            if (onWindows)
            {
                // The read end of a pipe whose write end is closed: an inheritable handle that reads
                // as an empty stream (.NET Framework's FileStream refuses to open NUL). Kept in the
                // table for as long as the process runs.
                var pipe = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
                var empty = pipe.ClientSafePipeHandle;
                pipe.Dispose();
                state["Keep"] = empty;
                // https://learn.microsoft.com/windows/console/setstdhandle
                if (!NativeMethods.SetStdHandle(-10, empty.DangerousGetHandle())) throw new InvalidOperationException("SetStdHandle(STD_INPUT_HANDLE) failed.");
            }
            else
            {
                using (FileStream devNull = File.OpenRead("/dev/null"))
                {
                    if (NativeMethods.dup2((int)devNull.SafeFileHandle.DangerousGetHandle(), 0) < 0) throw new InvalidOperationException("dup2(/dev/null, 0) failed.");
                }
            }
        }

        /// <summary>
        /// A runspace with no commands, in FullLanguage (the stop script calls .NET methods), the stop
        /// script added with the table and the OS, invoked on this thread until the script returns
        /// (once the teardown starts).
        /// https://learn.microsoft.com/dotnet/api/system.management.automation.runspaces.initialsessionstate.create
        /// </summary>
        private void RunStopScript(bool onWindows)
        {
            InitialSessionState sessionState = InitialSessionState.Create();
            sessionState.LanguageMode = PSLanguageMode.FullLanguage;
            using (Runspace runspace = RunspaceFactory.CreateRunspace(sessionState))
            {
                runspace.Open();
                using (PowerShell shell = PowerShell.Create())
                {
                    shell.Runspace = runspace;
                    shell.AddScript(stopScript).AddArgument(state).AddArgument(onWindows);
                    shell.Invoke();
                }
            }
        }

        private static class NativeMethods
        {
            [DllImport("kernel32.dll", SetLastError = true)]
            internal static extern bool SetStdHandle(int nStdHandle, IntPtr hHandle);

            [DllImport("libc", SetLastError = true)]
            internal static extern int dup2(int oldfd, int newfd);
        }
    }
}
