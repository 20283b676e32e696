using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// JSON text (RFC 8259) to PowerShell values, the same on PowerShell 7 and Windows PowerShell
    /// 5.1 (Json.ps1's ConvertFrom-RunnerJson). ConvertFrom-Json is not: on PowerShell 7 it turns
    /// ISO 8601 strings into dates unless told otherwise, and integers beyond Int64 become
    /// BigInteger there and fail on 5.1. Here strings stay strings; objects become PSCustomObject
    /// (properties in their order), arrays object[]; numbers keep every digit, typed as PowerShell
    /// types the same literal in a script:
    /// https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_numeric_literals
    /// Iterative: deep nesting cannot exhaust the call stack; past maxDepth it stops with a message.
    /// </summary>
    public static class JsonText
    {
        private enum Expect
        {
            Value,
            Key,
            Colon,
            Next,
            Nothing,
        }

        private sealed class Container
        {
            internal readonly bool IsObject;
            internal readonly PSObject Object;
            internal readonly List<object> Items;
            internal string Key;
            internal int Filled;

            internal Container(bool isObject)
            {
                IsObject = isObject;
                if (isObject) Object = new PSObject();
                else Items = new List<object>();
            }
        }

        /// <summary>The text's one value. Throws FormatException, with the character it stopped at, for text that is not JSON.</summary>
        public static object Read(string text, int maxDepth)
        {
            if (text == null) throw new ArgumentNullException("text");
            var open = new Stack<Container>();
            object root = null;
            bool done = false;
            Expect expect = Expect.Value;
            int i = 0;
            while (true)
            {
                while (i < text.Length && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) i++;
                if (i >= text.Length) break;
                int at = i + 1;
                char mark = text[i];
                bool isMark = mark == '{' || mark == '}' || mark == '[' || mark == ']' || mark == ':' || mark == ',';
                // A string, number or literal is read whole first: text that is no token is not JSON, whatever was expected.
                object token = null;
                int after = i + 1;
                if (!isMark)
                {
                    after = i;
                    token = ReadValueToken(text, ref after);
                }
                Container top = open.Count > 0 ? open.Peek() : null;
                // A closing mark is allowed after a value, or right after its opening mark.
                bool closes = (mark == '}' || mark == ']') && top != null && top.IsObject == (mark == '}');
                if (expect == Expect.Key)
                {
                    if (mark == '"')
                    {
                        top.Key = (string)token;
                        i = after;
                        expect = Expect.Colon;
                        continue;
                    }
                    if (!(closes && top.Filled == 0)) throw Invalid(at, ": a property name was expected.");
                }
                else if (expect == Expect.Colon)
                {
                    if (mark != ':') throw Invalid(at, ": ':' was expected.");
                    i = after;
                    expect = Expect.Value;
                    continue;
                }
                else if (expect == Expect.Next)
                {
                    if (mark == ',')
                    {
                        i = after;
                        expect = top.IsObject ? Expect.Key : Expect.Value;
                        continue;
                    }
                    if (!closes) throw Invalid(at, ": ',' or the end of the object or array was expected.");
                }
                else if (expect == Expect.Nothing)
                {
                    throw Invalid(at, ": it holds more than one value.");
                }
                else if (isMark && mark != '{' && mark != '[' && !(closes && !top.IsObject && top.Filled == 0))
                {
                    throw Invalid(at, ": a value was expected.");
                }
                i = after;

                object value;
                if (mark == '{' || mark == '[')
                {
                    if (open.Count >= maxDepth) throw new FormatException("The JSON text nests deeper than " + maxDepth.ToString(CultureInfo.InvariantCulture) + " levels.");
                    var container = new Container(mark == '{');
                    open.Push(container);
                    expect = container.IsObject ? Expect.Key : Expect.Value;
                    continue;
                }
                if (mark == '}') value = open.Pop().Object;
                else if (mark == ']') value = open.Pop().Items.ToArray();
                else value = token;

                if (open.Count == 0)
                {
                    root = value;
                    done = true;
                    expect = Expect.Nothing;
                    continue;
                }
                Container parent = open.Peek();
                parent.Filled++;
                if (parent.IsObject)
                {
                    // PowerShell's property names are case-insensitive: a second spelling would replace the first.
                    if (parent.Key.Length == 0) throw new FormatException("The JSON text names a property with an empty name, which a PowerShell object cannot hold.");
                    PSPropertyInfo existing = parent.Object.Properties[parent.Key];
                    if (existing != null)
                    {
                        throw new FormatException("The JSON text names the property '" + existing.Name + "' twice, as '" + existing.Name + "' and '" + parent.Key + "' (PowerShell's property names are case-insensitive).");
                    }
                    parent.Object.Properties.Add(new PSNoteProperty(parent.Key, value));
                }
                else
                {
                    parent.Items.Add(value);
                }
                expect = Expect.Next;
            }
            if (!done) throw new FormatException("The JSON text ends before its value does.");
            return root;
        }

        private static FormatException Invalid(int at, string why)
        {
            return new FormatException("The JSON text is not valid at character " + at.ToString(CultureInfo.InvariantCulture) + why);
        }

        /// <summary>A string, number or literal at i; anything else is not JSON there.</summary>
        private static object ReadValueToken(string text, ref int i)
        {
            int at = i + 1;
            char c = text[i];
            if (c == '"') return ReadString(text, ref i);
            if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber(text, ref i);
            foreach (string literal in new[] { "true", "false", "null" })
            {
                if (string.CompareOrdinal(text, i, literal, 0, literal.Length) != 0) continue;
                i += literal.Length;
                if (literal == "null") return null;
                return literal == "true";
            }
            throw Invalid(at, ".");
        }

        /// <summary>No raw control characters, only JSON's escapes (RFC 8259, section 7).</summary>
        private static string ReadString(string text, ref int i)
        {
            int at = i + 1;
            int start = ++i;
            StringBuilder decoded = null;
            while (true)
            {
                if (i >= text.Length) throw Invalid(at, ".");
                char c = text[i];
                if (c == '"') break;
                if (c < ' ') throw Invalid(at, ".");
                if (c != '\\')
                {
                    i++;
                    continue;
                }
                if (decoded == null) decoded = new StringBuilder();
                decoded.Append(text, start, i - start);
                if (i + 1 >= text.Length) throw Invalid(at, ".");
                char escape = text[i + 1];
                switch (escape)
                {
                    case '"': decoded.Append('"'); break;
                    case '\\': decoded.Append('\\'); break;
                    case '/': decoded.Append('/'); break;
                    case 'b': decoded.Append('\b'); break;
                    case 'f': decoded.Append('\f'); break;
                    case 'n': decoded.Append('\n'); break;
                    case 'r': decoded.Append('\r'); break;
                    case 't': decoded.Append('\t'); break;
                    case 'u':
                        int code;
                        if (i + 6 > text.Length || !int.TryParse(text.Substring(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code)) throw Invalid(at, ".");
                        decoded.Append((char)code);
                        i += 4;
                        break;
                    default: throw Invalid(at, ".");
                }
                i += 2;
                start = i;
            }
            string value = decoded == null ? text.Substring(start, i - start) : decoded.Append(text, start, i - start).ToString();
            i++;
            return value;
        }

        /// <summary>
        /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, typed: integers as int, long, decimal,
        /// then BigInteger (where PowerShell would fall back to double and lose digits); other
        /// numbers as double, unless a double would lose digits that decimal keeps.
        /// </summary>
        private static object ReadNumber(string text, ref int i)
        {
            int at = i + 1;
            int start = i;
            if (text[i] == '-') i++;
            if (i >= text.Length || !IsDigit(text[i])) throw Invalid(at, ".");
            if (text[i] == '0') i++;
            else while (i < text.Length && IsDigit(text[i])) i++;
            bool isInteger = true;
            if (i + 1 < text.Length && text[i] == '.' && IsDigit(text[i + 1]))
            {
                isInteger = false;
                i++;
                while (i < text.Length && IsDigit(text[i])) i++;
            }
            if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
            {
                int exponent = i + 1;
                if (exponent < text.Length && (text[exponent] == '+' || text[exponent] == '-')) exponent++;
                if (exponent < text.Length && IsDigit(text[exponent]))
                {
                    isInteger = false;
                    i = exponent;
                    while (i < text.Length && IsDigit(text[i])) i++;
                }
            }
            string token = text.Substring(start, i - start);
            CultureInfo invariant = CultureInfo.InvariantCulture;
            if (isInteger)
            {
                int asInt;
                if (int.TryParse(token, NumberStyles.AllowLeadingSign, invariant, out asInt)) return asInt;
                long asLong;
                if (long.TryParse(token, NumberStyles.AllowLeadingSign, invariant, out asLong)) return asLong;
                decimal asDecimal;
                if (decimal.TryParse(token, NumberStyles.AllowLeadingSign, invariant, out asDecimal)) return asDecimal;
                return BigInteger.Parse(token, NumberStyles.AllowLeadingSign, invariant);
            }
            double asDouble;
            if (!double.TryParse(token, NumberStyles.Float, invariant, out asDouble) || double.IsInfinity(asDouble))
            {
                throw new FormatException("The number " + token + " is beyond the range of a double.");
            }
            decimal exact;
            if (!decimal.TryParse(token, NumberStyles.Float, invariant, out exact)) return asDouble;
            // Near decimal's limits the double rounds past them (to 2^96): decimal keeps the digits.
            if (Math.Abs(asDouble) >= DecimalLimit) return exact;
            return exact != (decimal)asDouble ? (object)exact : asDouble;
        }

        // The smallest double above decimal.MaxValue's magnitude (2^96).
        private const double DecimalLimit = 79228162514264337593543950336.0;

        private static bool IsDigit(char c)
        {
            return c >= '0' && c <= '9';
        }
    }
}
