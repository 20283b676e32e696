using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The event subscriptions the script made (Register-ObjectEvent on a timer,
    /// Register-EngineEvent, ...), unregistered as it ends (Teardown.ps1's
    /// Remove-ScriptEventSubscription): PowerShell runs their actions between the statements of
    /// whatever runs next, the runner's report and teardown.
    /// https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/unregister-event
    /// </summary>
    public static class EventSubscriptions
    {
        /// <summary>The ids of the subscriptions there are now.</summary>
        public static int[] Ids(PSEventManager events)
        {
            if (events == null) throw new ArgumentNullException("events");
            var ids = new List<int>();
            foreach (PSEventSubscriber subscriber in events.Subscribers) ids.Add(subscriber.SubscriptionId);
            return ids.ToArray();
        }

        /// <summary>
        /// Unregisters every subscription whose id is not in before, but PowerShell.Exiting's: they
        /// run after the teardown, as at the end of a plain pwsh -File. Returns the source
        /// identifiers of those it unregistered, or null for none (a test of null reads no member);
        /// one that refuses stays, and is passed over.
        /// </summary>
        public static string[] RemoveAdded(PSEventManager events, int[] before)
        {
            if (events == null) throw new ArgumentNullException("events");
            var kept = new HashSet<int>(before ?? new int[0]);
            var removed = new List<string>();
            // A copy: unsubscribing changes the list.
            foreach (PSEventSubscriber subscriber in new List<PSEventSubscriber>(events.Subscribers))
            {
                if (string.Equals(subscriber.SourceIdentifier, "PowerShell.Exiting", StringComparison.OrdinalIgnoreCase) || kept.Contains(subscriber.SubscriptionId)) continue;
                try
                {
                    events.UnsubscribeEvent(subscriber);
                    removed.Add(subscriber.SourceIdentifier);
                }
                catch (Exception)
                {
                    // Its action may still run during the teardown, which does not wait for it.
                }
            }
            return removed.Count == 0 ? null : removed.ToArray();
        }
    }
}
