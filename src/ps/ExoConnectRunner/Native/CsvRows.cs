using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Reflection;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// A .csv result-file's rows (ResultFile.ps1): a row's values as one line, and a reader of the
    /// values of rows shaped like the first. Built in PowerShell from expression trees, these two
    /// cost each run that wrote a .csv about 150 ms of binding and compiling before its first row.
    /// </summary>
    public static class CsvRows
    {
        private static readonly char[] NeedQuotes = { ',', '"', '\r', '\n' };

        /// <summary>
        /// One row's values as a line of cells joined by commas. Each cell: null (or PowerShell's
        /// AutomationNull) empty; text as it is; DateTime and DateTimeOffset in the round-trip
        /// format ("o"); char, bool, Guid, enum, decimal, a primitive and each of textTypes
        /// ([switch], TimeSpan, Version, and the .NET numbers without a JSON number) as
        /// Convert.ToString writes it in the invariant culture; anything else (objects, lists)
        /// toJson's text. Then in quotes, with quotes doubled, where the text holds , " CR or LF
        /// (RFC 4180, section 2) or starts or ends with white space, which Import-Csv trims from a
        /// field without quotes. A PSObject's base object decides, and toJson is given the PSObject.
        /// </summary>
        public static Func<object[], string> LineFormatter(Lazy<Func<object, string>> toJson, Type[] textTypes)
        {
            if (toJson == null) throw new ArgumentNullException("toJson");
            var asText = new HashSet<Type>(textTypes ?? new Type[0]);
            return values =>
            {
                var cells = new string[values.Length];
                for (int i = 0; i < values.Length; i++) cells[i] = Cell(values[i], toJson, asText);
                return string.Join(",", cells);
            };
        }

        private static string Cell(object value, Lazy<Func<object, string>> toJson, HashSet<Type> asText)
        {
            if (value == null || ReferenceEquals(value, AutomationNull.Value)) return null;
            var wrapper = value as PSObject;
            object baseObject = wrapper != null ? wrapper.BaseObject : value;
            string text = baseObject as string;
            if (text == null)
            {
                if (baseObject is DateTime) text = ((DateTime)baseObject).ToString("o", CultureInfo.InvariantCulture);
                else if (baseObject is DateTimeOffset) text = ((DateTimeOffset)baseObject).ToString("o", CultureInfo.InvariantCulture);
                else if (IsScalar(baseObject, asText)) text = Convert.ToString(baseObject, CultureInfo.InvariantCulture);
                else text = toJson.Value(value);
            }
            int length = text.Length;
            bool padded = length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[length - 1]));
            if (text.IndexOfAny(NeedQuotes) >= 0 || padded) return "\"" + text.Replace("\"", "\"\"") + "\"";
            return text;
        }

        private static bool IsScalar(object value, HashSet<Type> asText)
        {
            return value is char || value is bool || value is Guid || value is Enum || value is decimal ||
                value.GetType().IsPrimitive || asText.Contains(value.GetType());
        }

        /// <summary>
        /// Reads into the array the values of an object made as first was, and says whether it
        /// could; an object it cannot read goes the general way (Get-RowProperties). Listing an
        /// object's properties (PSObject.Properties) first makes its five hidden member sets, about
        /// three quarters of what a fresh object's row cost; reading its own members does not. So it
        /// reads only a [pscustomobject] (Select-Object makes them too) whose type names are first's
        /// (type data could add properties to other names) and whose visible own members are note
        /// properties named as the columns (as -eq compares names), in that order. An object of a
        /// .NET class is never read so: some classes (XmlElement, DataRow) have properties of their
        /// own per object. The own members, whether a member is hidden and the type names are
        /// internal to PowerShell (PSObject.InstanceMembers, PSMemberInfo.IsHidden,
        /// PSObject.InternalTypeNames): null where a PowerShell lacks one of them, or when first is
        /// not a [pscustomobject].
        /// </summary>
        public static Func<PSObject, object[], bool> RowReader(PSObject first, string[] columns)
        {
            if (first == null) throw new ArgumentNullException("first");
            if (columns == null) throw new ArgumentNullException("columns");
            var ownMembers = Getter<PSObject, IEnumerable<PSMemberInfo>>(typeof(PSObject), "InstanceMembers");
            var isHidden = Getter<PSMemberInfo, bool>(typeof(PSMemberInfo), "IsHidden");
            var typeNamesOf = Getter<PSObject, IList<string>>(typeof(PSObject), "InternalTypeNames");
            if (ownMembers == null || isHidden == null || typeNamesOf == null) return null;
            if (!(first.ImmediateBaseObject is PSCustomObject)) return null;
            IList<string> firstTypeNames = typeNamesOf(first);
            var firstNames = new string[firstTypeNames.Count];
            firstTypeNames.CopyTo(firstNames, 0);
            var names = (string[])columns.Clone();
            return (item, values) =>
            {
                if (item == null) return false;
                IList<string> typeNames = typeNamesOf(item);
                if (!ReferenceEquals(typeNames, firstTypeNames) && !SameNames(typeNames, firstNames)) return false;
                if (!(item.ImmediateBaseObject is PSCustomObject)) return false;
                int n = 0;
                foreach (PSMemberInfo member in ownMembers(item))
                {
                    if (isHidden(member)) continue;
                    if (n >= names.Length) return false;
                    var note = member as PSNoteProperty;
                    if (note == null || !SameColumn(note.Name, names[n])) return false;
                    values[n++] = note.Value;
                }
                return n == names.Length;
            };
        }

        private static bool SameNames(IList<string> names, string[] expected)
        {
            if (names.Count != expected.Length) return false;
            for (int i = 0; i < expected.Length; i++)
            {
                if (!string.Equals(names[i], expected[i], StringComparison.Ordinal)) return false;
            }
            return true;
        }

        // Equal as -eq compares two names.
        private static bool SameColumn(string name, string column)
        {
            return name == column || string.Compare(name, column, CultureInfo.InvariantCulture, CompareOptions.IgnoreCase) == 0;
        }

        // An open delegate over an internal property's getter, or null where there is none (or it
        // has another type). The property's own type may be internal: a delegate may return a
        // reference type the getter's type converts to.
        private static Func<TObject, TValue> Getter<TObject, TValue>(Type type, string name)
        {
            PropertyInfo property = type.GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic);
            MethodInfo getter = property == null ? null : property.GetGetMethod(true);
            if (getter == null) return null;
            return (Func<TObject, TValue>)Delegate.CreateDelegate(typeof(Func<TObject, TValue>), getter, false);
        }
    }
}
