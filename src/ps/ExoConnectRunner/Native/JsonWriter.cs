using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// JSON for values that JSON holds as they are, written as PowerShell 7's ConvertTo-Json
    /// -Compress writes them (Newtonsoft.Json inside it), for the events (EventWriter) and the
    /// `result` output (ResultCollector). Anything else returns false, and the caller leaves the
    /// whole value to ConvertTo-Json: the cmdlet's first call in a run costs 12-25 ms.
    /// Public for its date formats only, which PortableJson.ps1 writes with too.
    /// </summary>
    public static class JsonWriter
    {
        private const PSMemberTypes AddedProperties = PSMemberTypes.NoteProperty | PSMemberTypes.AliasProperty | PSMemberTypes.ScriptProperty | PSMemberTypes.CodeProperty;
        /// <summary>
        /// How Newtonsoft.Json, inside PowerShell 7's ConvertTo-Json, writes a DateTime (ISO 8601,
        /// the kind's suffix, trailing zeros of the fraction left out).
        /// </summary>
        public const string IsoDateTime = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK";

        /// <summary>How Newtonsoft.Json writes a DateTimeOffset: as IsoDateTime, with the offset.</summary>
        public const string IsoDateTimeOffset = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz";

        /// <summary>
        /// Appends the value: null, text, a whole number, a finite double, true or false, a Guid,
        /// a DateTime and a DateTimeOffset (as text), and tables (string keys), lists and
        /// [pscustomobject]s (note properties only) of those.
        /// Level: the value's own; a table, list or object is taken up to MaxLevel, where
        /// ConvertTo-Json -Depth MaxLevel still writes its entries (past it, the cmdlet writes its
        /// text and warns). False, with the text cut off anywhere, for anything else, and once the
        /// text is longer than MaxChars (a list of millions of items is left to the cmdlet, which a
        /// stop interrupts).
        /// </summary>
        internal static bool TryAppend(StringBuilder json, object value, int level, int maxLevel, int maxChars)
        {
            if (json.Length > maxChars) return false;
            // Properties added to a wrapped value (Add-Member, type data) ConvertTo-Json writes
            // beside its value or entries, but for a text's (and an array's): left to it.
            var wrapped = value as PSObject;
            bool custom = wrapped != null && wrapped.BaseObject is PSCustomObject;
            if (wrapped != null && !custom && !(wrapped.BaseObject is string) && wrapped.Properties.Match("*", AddedProperties).Count > 0)
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
            if (value is DateTime)
            {
                AppendString(json, ((DateTime)value).ToString(IsoDateTime, CultureInfo.InvariantCulture));
                return true;
            }
            if (value is DateTimeOffset)
            {
                AppendString(json, ((DateTimeOffset)value).ToString(IsoDateTimeOffset, CultureInfo.InvariantCulture));
                return true;
            }
            if (value is double)
            {
                // Newtonsoft.Json writes NaN and the infinities as text: left to the cmdlet.
                double number = (double)value;
                if (double.IsNaN(number) || double.IsInfinity(number)) return false;
                // Its round-trip text, with ".0" where that has neither a point nor an exponent.
                string digits = number.ToString("R", CultureInfo.InvariantCulture);
                json.Append(digits);
                if (digits.IndexOf('.') < 0 && digits.IndexOf('E') < 0) json.Append(".0");
                return true;
            }
            if (level > maxLevel) return false;
            if (custom) return TryAppendObject(json, wrapped, level, maxLevel, maxChars);
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
                    if (!TryAppend(json, entry.Value, level + 1, maxLevel, maxChars)) return false;
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
                    if (!TryAppend(json, item, level + 1, maxLevel, maxChars)) return false;
                }
                json.Append(']');
                return true;
            }
            return false;
        }

        /// <summary>
        /// A [pscustomobject] (Select-Object's rows among them) whose properties are all note
        /// properties: a property that type data adds (a script property, an alias) is left to the
        /// cmdlet, and so is never run here.
        /// </summary>
        private static bool TryAppendObject(StringBuilder json, PSObject value, int level, int maxLevel, int maxChars)
        {
            json.Append('{');
            bool first = true;
            foreach (PSPropertyInfo property in value.Properties)
            {
                var note = property as PSNoteProperty;
                if (note == null || note.MemberType != PSMemberTypes.NoteProperty) return false;
                if (!first) json.Append(',');
                first = false;
                AppendString(json, note.Name);
                json.Append(':');
                if (!TryAppend(json, note.Value, level + 1, maxLevel, maxChars)) return false;
            }
            json.Append('}');
            return true;
        }

        // As Newtonsoft.Json escapes by default (inside ConvertTo-Json): quote, backslash, control
        // characters (\b \t \n \f \r by name, the rest as \u00XX), and U+0085, U+2028, U+2029.
        internal static void AppendString(StringBuilder json, string text)
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
    }
}
