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
        /// that JSON holds as it is: null, text, a whole number, true or false, a Guid (as text), and
        /// lists and tables of those, five levels deep at most. Anything else (a fraction, a date,
        /// an object with properties) returns false and writes nothing: Write-RunnerEvent leaves
        /// that event to ConvertTo-Json. The text is what PowerShell 7's ConvertTo-Json -Compress
        /// writes for the same table (Events.Tests.ps1 compares them).
        /// </summary>
        public bool TryWrite(IDictionary data)
        {
            if (data == null) throw new ArgumentNullException("data");
            data["at"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
            var json = new StringBuilder(256);
            if (!AppendJson(json, data, 0)) return false;
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

        // ConvertTo-Json -Depth 5: a value below that is written as its text, which is left to it.
        private const int MaxDepth = 5;

        private static bool AppendJson(StringBuilder json, object value, int depth)
        {
            // Properties added to a wrapped value (Add-Member, type data) ConvertTo-Json writes
            // beside its value or entries, but for a text's (and an array's): left to it.
            var wrapped = value as PSObject;
            if (wrapped != null && !(wrapped.BaseObject is string) && wrapped.Properties.Match("*", AddedProperties).Count > 0)
                return false;
            value = PSValue.Bare(value);
            if (value == null)
            {
                json.Append("null");
                return true;
            }
            var text = value as string;
            if (text != null)
            {
                AppendString(json, text);
                return true;
            }
            if (value is bool)
            {
                json.Append((bool)value ? "true" : "false");
                return true;
            }
            if (value is int || value is long || value is short || value is byte || value is sbyte || value is ushort || value is uint || value is ulong)
            {
                json.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                return true;
            }
            if (value is Guid)
            {
                AppendString(json, ((Guid)value).ToString("D"));
                return true;
            }
            if (depth >= MaxDepth) return false;
            var table = value as IDictionary;
            if (table != null)
            {
                json.Append('{');
                bool first = true;
                foreach (DictionaryEntry entry in table)
                {
                    // Text only, as ConvertTo-Json takes (a hashtable holds its keys unwrapped).
                    var key = entry.Key as string;
                    if (key == null) return false;
                    if (!first) json.Append(',');
                    first = false;
                    AppendString(json, key);
                    json.Append(':');
                    if (!AppendJson(json, entry.Value, depth + 1)) return false;
                }
                json.Append('}');
                return true;
            }
            if (value is IList)
            {
                // Enumerated, as ConvertTo-Json does: a two-dimensional array is one list of its items.
                json.Append('[');
                bool first = true;
                foreach (object item in (IList)value)
                {
                    if (!first) json.Append(',');
                    first = false;
                    if (!AppendJson(json, item, depth + 1)) return false;
                }
                json.Append(']');
                return true;
            }
            return false;
        }

        private const PSMemberTypes AddedProperties = PSMemberTypes.NoteProperty | PSMemberTypes.AliasProperty | PSMemberTypes.ScriptProperty | PSMemberTypes.CodeProperty;

        // As Newtonsoft.Json escapes by default (inside ConvertTo-Json): quote, backslash, control
        // characters (\b \t \n \f \r by name, the rest as \u00XX), and U+0085, U+2028, U+2029.
        private static void AppendString(StringBuilder json, string text)
        {
            json.Append('"');
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                string escaped;
                switch (c)
                {
                    case '"': escaped = "\\\""; break;
                    case '\\': escaped = "\\\\"; break;
                    case '\b': escaped = "\\b"; break;
                    case '\t': escaped = "\\t"; break;
                    case '\n': escaped = "\\n"; break;
                    case '\f': escaped = "\\f"; break;
                    case '\r': escaped = "\\r"; break;
                    default:
                        if (c >= ' ' && c != '\u0085' && c != '\u2028' && c != '\u2029') continue;
                        escaped = "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
                        break;
                }
                json.Append(text, start, i - start).Append(escaped);
                start = i + 1;
            }
            json.Append(text, start, text.Length - start).Append('"');
        }

        public void Dispose()
        {
            stream.Dispose();
            if (hmac != null) hmac.Dispose();
        }
    }
}
