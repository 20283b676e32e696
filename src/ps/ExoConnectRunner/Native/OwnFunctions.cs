using System;
using System.Collections;
using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The runner module's own functions as command objects (ExoConnectRunner.psm1's $script:Own),
    /// for the calls made once the user's script has run.
    /// </summary>
    public static class OwnFunctions
    {
        /// <summary>Every function that the module whose session state this is defines, into own by name.</summary>
        public static void Register(SessionState state, IDictionary own)
        {
            if (state == null) throw new ArgumentNullException("state");
            if (own == null) throw new ArgumentNullException("own");
            PSModuleInfo module = state.Module;
            foreach (CommandInfo command in state.InvokeCommand.GetCommands("*", CommandTypes.Function, true))
            {
                if (module != null && ReferenceEquals(command.Module, module)) own[command.Name] = command;
            }
        }

        /// <summary>The function own holds under name, or null.</summary>
        internal static FunctionInfo Find(IDictionary own, string name)
        {
            return PSValue.Bare(own[name]) as FunctionInfo;
        }
    }
}
