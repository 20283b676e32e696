using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Text;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The `result` output (ResultOutput.ps1): the first objects the script returns, as one JSON
    /// array within a byte limit, converted in batches as they arrive. Collecting stops at the first
    /// object that would pass the limit. A batch of plain items is written here (JsonWriter); any
    /// other stays PowerShell script (ConvertTo-ResultJson, through ConvertTo-Json), which a stop of
    /// the pipeline interrupts.
    /// </summary>
    public sealed class ResultCollector
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly int bytesLimit;
        private readonly int stringLimit;
        private readonly int batch;
        private readonly ScriptBlock convert;
        private readonly HeldSecrets held;
        private readonly List<string> parts = new List<string>();
        // The strings Add cut that wait in Pending, for Cut once their batch is kept.
        private readonly List<PSObject> cutPending = new List<PSObject>();
        // The runner's, as the collector is made before the script starts.
        private readonly KeptLanguageMode runnerMode = new KeptLanguageMode();

        /// <summary>
        /// Limit: objects at most; Depth: result-depth. BytesLimit, StringLimit and Batch come from
        /// ResultOutput.ps1. Convert: ConvertTo-ResultJson (this collector, the items: a table of
        /// their JSON without the array's brackets and whether it cut a value at Depth, or of why
        /// they could not be converted). Held: the secrets a cut string is cleared of.
        /// </summary>
        public ResultCollector(int limit, int depth, int bytesLimit, int stringLimit, int batch, ScriptBlock convert, ScriptBlock toJson, HeldSecrets held)
        {
            if (convert == null) throw new ArgumentNullException("convert");
            if (batch < 1) throw new ArgumentOutOfRangeException("batch");
            Limit = limit;
            Depth = depth;
            this.bytesLimit = bytesLimit;
            this.stringLimit = stringLimit;
            this.batch = batch;
            this.convert = convert;
            ToJson = toJson;
            this.held = held;
            Pending = new List<PSObject>();
            Bytes = 2;
            SetRoom();
        }

        /// <summary>
        /// The objects waiting for their batch's conversion. PSObjects: as object, a method call
        /// would be handed the base object alone, without the properties PowerShell adds
        /// (Add-Member, a provider's PSPath, the type data's BaseName). While Pending.Count is
        /// below Room, all Add would do with an object (other than text longer than the string
        /// limit) is add it here: the script's output stage does that itself (Invoke-UserScript),
        /// since a call per object costs more than the rest of that stage.
        /// </summary>
        public List<PSObject> Pending { get; private set; }

        public int Room { get; private set; }
        public int Limit { get; private set; }
        public int Depth { get; private set; }
        /// <summary>The objects kept, and the bytes of the array that holds them.</summary>
        public int Count { get; private set; }
        public int Bytes { get; private set; }
        /// <summary>Whether collecting has stopped: an object did not fit, or the limit was reached.</summary>
        public bool Full { get; private set; }
        /// <summary>The first reason an object could not be converted, and how many were left out.</summary>
        public string Failed { get; private set; }
        public int Unconvertible { get; private set; }
        /// <summary>Strings cut at the string limit that the result holds.</summary>
        public int Cut { get; private set; }
        /// <summary>Whether the result holds a value past Depth, which ConvertTo-Json writes as its string.</summary>
        public bool DepthCut { get; private set; }
        /// <summary>Whether the last conversion cut a value at Depth.</summary>
        public bool LastDepthCut { get; private set; }
        /// <summary>The converter the conversion calls (ConvertTo-PortableJson).</summary>
        public ScriptBlock ToJson { get; set; }

        /// <summary>An object the script returned that the output stage did not add itself (see Pending).</summary>
        public void Add(PSObject item)
        {
            if (Full) return;
            if (Count + Pending.Count >= Limit)
            {
                Submit();
                Full = true;
                return;
            }
            string text = item == null ? null : item.BaseObject as string;
            if (text != null && text.Length > stringLimit)
            {
                item = new PSObject(LogText.Limit(text, stringLimit, held));
                cutPending.Add(item);
            }
            Pending.Add(item);
            if (Pending.Count >= batch) Submit();
        }

        /// <summary>The pending objects as one JSON array; when that would pass the limit, one by one, up to it.</summary>
        public void Submit()
        {
            if (Pending.Count == 0) return;
            PSObject[] pending = Pending.ToArray();
            PSObject[] cut = cutPending.ToArray();
            Pending.Clear();
            cutPending.Clear();
            string body = Convert(pending);
            int bytes = body == null ? 0 : Utf8.GetByteCount(body);
            if (body != null && HasRoom(bytes))
            {
                Keep(body, bytes, pending.Length, cut.Length);
                return;
            }
            foreach (PSObject item in pending)
            {
                string one = Convert(new[] { item });
                if (one == null)
                {
                    Unconvertible++;
                    continue;
                }
                int oneBytes = Utf8.GetByteCount(one);
                if (!HasRoom(oneBytes))
                {
                    Full = true;
                    return;
                }
                int itemCut = 0;
                foreach (PSObject text in cut) if (ReferenceEquals(text, item)) itemCut = 1;
                Keep(one, oneBytes, 1, itemCut);
            }
        }

        /// <summary>The result: what is pending converted first, unless collecting has stopped.</summary>
        public string GetJson()
        {
            if (!Full) Submit();
            return "[" + string.Join(",", parts) + "]";
        }

        /// <summary>
        /// Once the script is over: the result (GetJson) and what the script's event says of it
        /// (count, depthCut, unconvertible, failed, cut), as a table. Static, and a table: type
        /// data the script added (Update-TypeData) can stand in for this object's members when
        /// PowerShell calls them, not for a static method or a table's entries.
        /// </summary>
        public static Hashtable Finish(ResultCollector collector)
        {
            if (collector == null) throw new ArgumentNullException("collector");
            var facts = new Hashtable(StringComparer.OrdinalIgnoreCase);
            facts["json"] = collector.GetJson();
            facts["count"] = collector.Count;
            facts["depthCut"] = collector.DepthCut;
            facts["unconvertible"] = collector.Unconvertible;
            facts["failed"] = collector.Failed;
            facts["cut"] = collector.Cut;
            return facts;
        }

        // Converting runs the objects' property getters, the script's code, which may leave another
        // language mode: the runner's code after it, here and in the caller, runs in the run's
        // (KeptLanguageMode).
        private string Convert(PSObject[] items)
        {
            try
            {
                return ConvertItems(items);
            }
            finally
            {
                runnerMode.Restore();
            }
        }

        private string ConvertItems(PSObject[] items)
        {
            // Plain items (text, numbers, Select-Object's rows, tables and lists of those, within
            // result-depth) are written here, as ConvertTo-Json writes them; any other batch goes to
            // ConvertTo-ResultJson. The array's brackets are not written, and the items are at its
            // level 1, for ConvertTo-Json -Depth (Depth + 1) as ConvertTo-ResultJson calls it.
            var json = new StringBuilder(64 * items.Length);
            bool plain = true;
            for (int i = 0; i < items.Length && plain; i++)
            {
                if (i > 0) json.Append(',');
                plain = JsonWriter.TryAppend(json, items[i], 1, Depth + 1, bytesLimit);
            }
            if (plain)
            {
                LastDepthCut = false;
                return json.ToString();
            }
            // The runner's script, in the run's language mode, whatever a property getter read above set.
            runnerMode.Restore();
            Collection<PSObject> output = convert.Invoke(this, items);
            Hashtable facts = output.Count == 0 || output[0] == null ? null : output[0].BaseObject as Hashtable;
            if (facts == null) return null;
            string failed = facts["failed"] as string;
            if (failed != null)
            {
                if (Failed == null) Failed = failed;
                return null;
            }
            LastDepthCut = facts["depthCut"] is bool && (bool)facts["depthCut"];
            return facts["json"] as string;
        }

        // bytes: the body's UTF-8 length, counted once for the test and the sum (a body may be 1 MB).
        private bool HasRoom(int bytes)
        {
            return Bytes + bytes + 1 <= bytesLimit;
        }

        private void Keep(string body, int bytes, int count, int cut)
        {
            parts.Add(body);
            Bytes += bytes + 1;
            Count += count;
            Cut += cut;
            if (LastDepthCut) DepthCut = true;
            SetRoom();
        }

        private void SetRoom()
        {
            Room = Math.Min(batch - 1, Limit - Count);
        }
    }
}
