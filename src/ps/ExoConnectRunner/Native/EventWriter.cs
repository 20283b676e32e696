using System;
using System.IO;
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

        public void Dispose()
        {
            stream.Dispose();
            if (hmac != null) hmac.Dispose();
        }
    }
}
