using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The events file (Events.ps1): one JSON line per event, each starting with the HMAC-SHA256 of
    /// its JSON in lower-case hex and a space when the run came with a key. The key lives only in
    /// the HMAC object inside, which nothing public returns.
    /// </summary>
    public sealed class EventWriter : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly FileStream stream;
        private readonly HMACSHA256 hmac;

        /// <summary>
        /// Opens the file once, to append: whatever the user's script later puts at the path (a
        /// named pipe would block every write) is never written through. Key: base64, or null or
        /// empty for lines without a signature.
        /// </summary>
        public EventWriter(string path, string key)
        {
            // The key first: one that is not base64 throws before a file is opened.
            if (!string.IsNullOrEmpty(key))
            {
                byte[] bytes = Convert.FromBase64String(key);
                hmac = new HMACSHA256(bytes);
                Array.Clear(bytes, 0, bytes.Length);
            }
            stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }

        /// <summary>Whether the lines are signed.</summary>
        public bool Signs
        {
            get { return hmac != null; }
        }

        /// <summary>Appends one line and flushes it: the action reads the file while the run goes on.</summary>
        public void Write(string json)
        {
            if (json == null) throw new ArgumentNullException("json");
            var line = new StringBuilder(json.Length + 66);
            if (hmac != null)
            {
                byte[] mac;
                lock (hmac) { mac = hmac.ComputeHash(Utf8.GetBytes(json)); }
                foreach (byte b in mac) line.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                line.Append(' ');
            }
            line.Append(json).Append('\n');
            byte[] bytes = Utf8.GetBytes(line.ToString());
            lock (stream)
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
            }
        }

        /// <summary>
        /// Adds the event's time ("at") and appends it as one line, when each of its values is one
        /// JsonWriter writes: null, text, a whole number, a finite double, true or false, a Guid, a
        /// date (as text), and lists, tables and [pscustomobject]s of those, five levels deep at most.
        /// Anything else (NaN, a decimal, an object of another class) returns false and writes
        /// nothing: Write-RunnerEvent leaves that event to ConvertTo-Json. The text is what
        /// PowerShell 7's ConvertTo-Json -Compress writes for the same table (Events.Tests.ps1
        /// compares them).
        /// </summary>
        public bool TryWrite(IDictionary data)
        {
            if (data == null) throw new ArgumentNullException("data");
            data["at"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
            var json = new StringBuilder(256);
            if (!JsonWriter.TryAppend(json, data, 0, MaxLevel, int.MaxValue)) return false;
            Write(json.ToString());
            return true;
        }

        /// <summary>
        /// TryWrite and Write as static calls, for Write-RunnerEvent: type data the user's script
        /// adds (Update-TypeData) can stand in for an object's members when PowerShell calls them,
        /// not for a static method.
        /// </summary>
        public static bool TryAppend(EventWriter writer, IDictionary data)
        {
            if (writer == null) throw new ArgumentNullException("writer");
            return writer.TryWrite(data);
        }

        public static void Append(EventWriter writer, string json)
        {
            if (writer == null) throw new ArgumentNullException("writer");
            writer.Write(json);
        }

        // ConvertTo-Json -Depth 5 writes a table's entries down to level 5; one level less is taken here.
        private const int MaxLevel = 4;

        public void Dispose()
        {
            stream.Dispose();
            if (hmac != null) hmac.Dispose();
        }
    }
}
