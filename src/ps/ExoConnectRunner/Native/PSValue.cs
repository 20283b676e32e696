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

        /// <summary>The named property of a value (a JSON object as the runner's reader makes it), or null.</summary>
        internal static PSPropertyInfo PropertyOf(object value, string name)
        {
            return value == null ? null : PSObject.AsPSObject(value).Properties[name];
        }

        /// <summary>The named property's value, as Bare gives it; null when there is none.</summary>
        internal static object Field(object value, string name)
        {
            PSPropertyInfo property = PropertyOf(value, name);
            return property == null ? null : Bare(property.Value);
        }
    }
}
