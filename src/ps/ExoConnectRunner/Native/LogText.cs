using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// Text the runner prints that it did not write (LogText.ps1): on one line, with no workflow
    /// command in it, and without the secrets it holds. The same rules as the action's Node side
    /// (src/log-text.ts, src/secrets.ts).
    /// https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
    /// </summary>
    public static class LogText
    {
        /// <summary>Made at the first text with `::` in it, not at the first line: most runs have none.</summary>
        private static class Patterns
        {
            // `::` at the start of a line, after spaces; a line starts after a line feed or a lone
            // carriage return too, as the Actions runner reads the log (StreamReader.ReadLine).
            internal static readonly Regex CommandStart = new Regex(@"(?<![^\r\n])(\s*)::", RegexOptions.CultureInvariant);
        }

        /// <summary>
        /// The text on one line: held secrets out, each run of control characters (C0, DEL, C1, the
        /// Unicode line and paragraph separators) one space, trimmed, no workflow command.
        /// </summary>
        public static string ToLogLine(string text, HeldSecrets held)
        {
            if (text == null) return string.Empty;
            if (held != null) text = held.Hide(text);
            var line = new StringBuilder(text.Length);
            bool inRun = false;
            foreach (char c in text)
            {
                bool control = c <= '\u001f' || (c >= '\u007f' && c <= '\u009f') || c == '\u2028' || c == '\u2029';
                if (!control) line.Append(c);
                else if (!inRun) line.Append(' ');
                inRun = control;
            }
            return Inert(line.ToString().Trim());
        }

        /// <summary>The text with no workflow command in it: `##[` becomes `# #[`, and `::` at a line's start `: :`.</summary>
        public static string Inert(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            text = text.Replace("##[", "# #[");
            return text.IndexOf("::", StringComparison.Ordinal) < 0 ? text : Patterns.CommandStart.Replace(text, "$1: :");
        }

        /// <summary>
        /// Text longer than length cut at the last space before it, so that a secret (tokens have no
        /// spaces) is either whole or gone, saying how much went. Held secrets are taken out first:
        /// a password may have spaces.
        /// </summary>
        public static string Limit(string text, int length, HeldSecrets held)
        {
            if (text == null) return null;
            if (held != null) text = held.Hide(text);
            if (text.Length <= length) return text;
            int at = length > 0 ? text.LastIndexOf(' ', length) : -1;
            if (at <= 0) at = length;
            return text.Substring(0, at) + " [cut: " + (text.Length - at).ToString(CultureInfo.InvariantCulture) + " more characters]";
        }
    }

    /// <summary>
    /// One secret the runner holds, without its gaps (Compact), and without its gaps but for
    /// backslash escapes (Literal: a secret's own \n is no line break); Folded: found in any case.
    /// </summary>
    public sealed class HeldSecret
    {
        internal HeldSecret(string compact, string literal, bool folded)
        {
            Compact = compact;
            Literal = literal;
            Folded = folded;
        }

        public string Compact { get; private set; }

        public string Literal { get; private set; }

        public bool Folded { get; private set; }
    }

    /// <summary>
    /// The secret values of the run's credentials, from before the connect until the script starts.
    /// The log's masking compares whole values, and a server may wrap or space out what it echoes
    /// (a PFX at 76 columns, a password split by a line break), which the log's one line joins with
    /// spaces: text is searched for each without its gaps, and the span it covers, gaps and all,
    /// is replaced. No regular expression is made of a secret, so none stays in .NET's cache.
    /// </summary>
    public sealed class HeldSecrets : IEnumerable<HeldSecret>
    {
        private static readonly string[] Fields = { "pfxBase64", "password", "token" };
        // From six characters, as the action looks for them (MIN_SPREAD in src/secrets.ts).
        private const int MinimumLength = 6;
        private const int FoldedLettersMinimum = 12;
        // Secrets up to this length are also held in their base64 forms (MAX_SPREAD_ENCODED in src/secrets.ts).
        private const int MaxEncodedLength = 256;
        private List<HeldSecret> secrets = new List<HeldSecret>();

        public int Count
        {
            get { return secrets.Count; }
        }

        /// <summary>
        /// Holds the pfxBase64, password and token strings of these credentials (objects as the
        /// runner's JSON reader makes them; null entries are skipped), longest first: a shorter one
        /// taken out of the middle of another would leave the rest of it. Replaces what was held.
        /// </summary>
        public void Set(IEnumerable credentials)
        {
            var held = new List<HeldSecret>();
            if (credentials != null)
            {
                foreach (object entry in credentials)
                {
                    if (entry == null) continue;
                    PSObject credential = PSObject.AsPSObject(entry);
                    foreach (string field in Fields)
                    {
                        PSPropertyInfo property = credential.Properties[field];
                        string value = property == null ? null : PSValue.Bare(property.Value) as string;
                        if (value == null) continue;
                        // In any case too, but for a short secret of letters only, whose folded
                        // forms are words of the log (as the action masks).
                        Hold(held, value, !LettersOnly(value) || CodePoints(value) >= FoldedLettersMinimum);
                        // Base64 is wrapped as often as a PFX is (at 76 columns in a MIME or WinRM
                        // header dump): a password-sized secret's encoded forms (Basic's
                        // user:password) are looked for spread out too, in their own case, as the
                        // action does (src/secrets.ts). Not a PFX's or a token's: no server encodes those again.
                        string joined = WithoutWhitespace(value);
                        foreach (string piece in joined == value ? new[] { value } : new[] { value, joined })
                        {
                            if (piece.Length == 0 || piece.Length > MaxEncodedLength) continue;
                            foreach (string form in Base64Forms(piece)) Hold(held, form, false);
                        }
                    }
                }
            }
            secrets = held;
        }

        /// <summary>Holds the value without its gaps, from MinimumLength characters.</summary>
        private static void Hold(List<HeldSecret> held, string value, bool folded)
        {
            string compact = WithoutGaps(value, null, true);
            // Without a backslash the value reads the same both ways (as Hide reads a text).
            bool same = value.IndexOf('\\') < 0;
            string literal = same ? compact : WithoutGaps(value, null, false);
            if (compact.Length < MinimumLength && literal.Length < MinimumLength) return;
            if (folded)
            {
                compact = LowerEach(compact);
                literal = same ? compact : LowerEach(literal);
            }
            if (held.Exists(s => s.Compact == compact && s.Literal == literal && s.Folded == folded)) return;
            // Longest first, and in the order given within one length.
            int before = held.FindIndex(s => s.Literal.Length < literal.Length);
            held.Insert(before < 0 ? held.Count : before, new HeldSecret(compact, literal, folded));
        }

        /// <summary>
        /// The value's UTF-8 and UTF-16 bytes in base64 and base64url, whole and, for each of the
        /// three places it can start at within base64's 3-byte groups, the characters that only it
        /// decides (as it appears inside a longer encoded text, such as user:password).
        /// </summary>
        private static IEnumerable<string> Base64Forms(string value)
        {
            foreach (Encoding encoding in new Encoding[] { new UTF8Encoding(false), new UnicodeEncoding(false, false) })
            {
                byte[] bytes = encoding.GetBytes(value);
                string whole = Convert.ToBase64String(bytes);
                yield return whole;
                yield return ToUrl(whole).TrimEnd('=');
                for (int shift = 0; shift < 3; shift++)
                {
                    var shifted = new byte[shift + bytes.Length];
                    Array.Copy(bytes, 0, shifted, shift, bytes.Length);
                    string encoded = Convert.ToBase64String(shifted);
                    int first = (shift * 8 + 5) / 6;
                    int last = (shift + bytes.Length) * 8 / 6;
                    string core = encoded.Substring(first, last - first);
                    yield return core;
                    yield return ToUrl(core);
                }
            }
        }

        private static string ToUrl(string base64)
        {
            return base64.Replace('+', '-').Replace('/', '_');
        }

        private static string WithoutWhitespace(string value)
        {
            var kept = new StringBuilder(value.Length);
            foreach (char c in value) if (!char.IsWhiteSpace(c)) kept.Append(c);
            return kept.ToString();
        }

        public void Clear()
        {
            secrets = new List<HeldSecret>();
        }

        /// <summary>The text with each held secret, gaps and all, replaced by ***.</summary>
        public string Hide(string text)
        {
            if (string.IsNullOrEmpty(text) || secrets.Count == 0) return text;
            var spans = new List<KeyValuePair<int, int>>();
            // Once with JSON's escapes as gaps (a service's error body), once with a backslash as the
            // character it is (a path such as C:\nightfall, where \n is part of the secret).
            // Without a backslash in the text both read it alike: once is enough.
            foreach (bool escapes in text.IndexOf('\\') < 0 ? new[] { true } : new[] { true, false })
            {
                var at = new List<int>(text.Length);
                string compact = WithoutGaps(text, at, escapes);
                string lower = null;
                foreach (HeldSecret secret in secrets)
                {
                    string wanted = escapes ? secret.Compact : secret.Literal;
                    if (wanted.Length < MinimumLength) continue;
                    string within = compact;
                    if (secret.Folded) within = lower ?? (lower = LowerEach(compact));
                    for (int from = within.IndexOf(wanted, StringComparison.Ordinal); from >= 0; from = within.IndexOf(wanted, from + 1, StringComparison.Ordinal))
                    {
                        spans.Add(new KeyValuePair<int, int>(at[from], at[from + wanted.Length - 1] + 1));
                    }
                }
            }
            if (spans.Count == 0) return text;
            spans.Sort((a, b) => a.Key.CompareTo(b.Key));
            var result = new StringBuilder(text.Length);
            int end = 0;
            foreach (KeyValuePair<int, int> span in spans)
            {
                if (span.Key >= end) result.Append(text, end, span.Key - end).Append("***");
                end = Math.Max(end, span.Value);
            }
            return result.Append(text, end, text.Length - end).ToString();
        }

        public IEnumerator<HeldSecret> GetEnumerator()
        {
            return secrets.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator()
        {
            return GetEnumerator();
        }

        /// <summary>
        /// The text without its gaps: whitespace, control characters (the log's one line makes
        /// spaces of them), invisible format characters (a zero-width space, a soft hyphen), which
        /// a reader's copy of the text drops, and, with escapes, line breaks as JSON escapes them
        /// (\r, \n, \t).
        /// At, when given, gets where in the text each kept code unit is.
        /// </summary>
        private static string WithoutGaps(string text, List<int> at, bool escapes)
        {
            var kept = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (escapes && c == '\\' && i + 1 < text.Length && (text[i + 1] == 'r' || text[i + 1] == 'n' || text[i + 1] == 't'))
                {
                    i++;
                    continue;
                }
                // A gap as JSON's \uXXXX writes it (\u000a, \u200b from an encoder that escapes them so).
                int escaped;
                if (escapes && c == '\\' && i + 5 < text.Length && text[i + 1] == 'u'
                    && int.TryParse(text.Substring(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out escaped)
                    && IsGap((char)escaped))
                {
                    i += 5;
                    continue;
                }
                // Whole characters: a gap may be outside the BMP (a tag character, say).
                int width = char.IsSurrogatePair(text, i) ? 2 : 1;
                bool gap = width == 1 ? IsGap(c) : IsControlOrFormat(CharUnicodeInfo.GetUnicodeCategory(text, i));
                if (!gap)
                {
                    for (int j = 0; j < width; j++)
                    {
                        if (at != null) at.Add(i + j);
                        kept.Append(text[i + j]);
                    }
                }
                i += width - 1;
            }
            return kept.ToString();
        }

        private static bool IsGap(char c)
        {
            return c <= ' ' || c >= '\u007f' && (char.IsWhiteSpace(c) || IsControlOrFormat(CharUnicodeInfo.GetUnicodeCategory(c)));
        }

        private static bool IsControlOrFormat(UnicodeCategory category)
        {
            return category == UnicodeCategory.Control || category == UnicodeCategory.Format;
        }

        private static int CodePoints(string text)
        {
            int count = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsSurrogatePair(text, i)) i++;
                count++;
            }
            return count;
        }

        private static bool LettersOnly(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (!char.IsLetter(text, i)) return false;
                if (char.IsSurrogatePair(text, i)) i++;
            }
            return true;
        }

        /// <summary>
        /// Lower case one character at a time, so that each keeps its place, and a final ς as σ, as
        /// a whole text lower-cased writes the one and a character alone the other.
        /// </summary>
        private static string LowerEach(string text)
        {
            var lower = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsSurrogatePair(text, i))
                {
                    // A letter outside the BMP (Deseret, Osage, Adlam) as one character, where it keeps its two units.
                    string pair = text.Substring(i, 2);
                    string folded = pair.ToLowerInvariant();
                    lower.Append(folded.Length == 2 ? folded : pair);
                    i++;
                    continue;
                }
                lower.Append(c == '\u03c2' ? '\u03c3' : char.ToLowerInvariant(c));
            }
            return lower.ToString();
        }
    }
}
