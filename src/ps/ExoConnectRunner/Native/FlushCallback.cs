using System;
using System.IO;
using System.Reflection;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The result-file's write-outs (ResultFile.ps1): a thread-pool timer's, the process exit's and
    /// a SIGTERM's. A script block would need a runspace to run in; this needs none.
    /// </summary>
    public static class FlushCallback
    {
        /// <summary>
        /// A delegate of delegateType (TimerCallback, EventHandler, Action&lt;PosixSignalContext&gt;:
        /// one or two parameters, no result) that calls writer.Flush() and lets no exception escape:
        /// an unhandled one on a thread-pool thread, or at exit, ends the process.
        /// </summary>
        public static Delegate For(TextWriter writer, Type delegateType)
        {
            if (writer == null) throw new ArgumentNullException("writer");
            if (delegateType == null) throw new ArgumentNullException("delegateType");
            ParameterInfo[] parameters = delegateType.GetMethod("Invoke").GetParameters();
            Type[] types = Array.ConvertAll(parameters, p => p.ParameterType);
            string name = types.Length == 1 ? "FlushOne" : types.Length == 2 ? "FlushTwo" : null;
            if (name == null) throw new ArgumentException("a delegate of one or two parameters", "delegateType");
            MethodInfo method = typeof(FlushCallback).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic).MakeGenericMethod(types);
            // Closed over the writer: the delegate's own parameters follow it.
            return Delegate.CreateDelegate(delegateType, writer, method);
        }

        private static void FlushOne<T>(TextWriter writer, T argument)
        {
            Flush(writer);
        }

        private static void FlushTwo<T1, T2>(TextWriter writer, T1 first, T2 second)
        {
            Flush(writer);
        }

        private static void Flush(TextWriter writer)
        {
            try
            {
                writer.Flush();
            }
            catch (Exception)
            {
                // None may escape: see For.
            }
        }
    }
}
