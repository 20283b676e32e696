using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>Values as PowerShell hands them over.</summary>
    internal static class PSValue
    {
        /// <summary>
        /// The value without a PSObject around it, as PowerShell's -is sees it (a string that went
        /// through a pipeline comes wrapped); a PSCustomObject stays the PSObject that holds its properties.
        /// </summary>
        internal static object Bare(object value)
        {
            var wrapped = value as PSObject;
            if (wrapped == null || wrapped.BaseObject is PSCustomObject) return value;
            return wrapped.BaseObject;
        }
    }
}
