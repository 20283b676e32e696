using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>Values as PowerShell hands them over.</summary>
    public static class PSValue
    {
        /// <summary>
        /// How many items a collection holds (0 for null, 1 for a value that is no collection), read
        /// by a static call: the teardown runs after the user's script, whose type data
        /// (Update-TypeData) can stand in for the Count and Length of .NET lists and arrays as script
        /// reads them. A collection is an ICollection (arrays, lists, hashtables) or a generic
        /// ICollection&lt;T&gt; or IReadOnlyCollection&lt;T&gt; (a HashSet&lt;T&gt;, say); a
        /// sequence that is neither is not enumerated, and counts as one value.
        /// </summary>
        public static int Count(object value)
        {
            object bare = value is PSObject ? ((PSObject)value).BaseObject : value;
            if (bare == null) return 0;
            var collection = bare as ICollection;
            if (collection != null) return collection.Count;
            foreach (Type contract in bare.GetType().GetInterfaces())
            {
                if (!contract.IsGenericType) continue;
                Type definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>))
                {
                    return (int)contract.GetProperty("Count").GetValue(bare, null);
                }
            }
            return 1;
        }

        /// <summary>A stopwatch's elapsed whole milliseconds, read by a static call, for the same reason as Count.</summary>
        public static long Milliseconds(Stopwatch clock)
        {
            return clock.ElapsedMilliseconds;
        }

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
