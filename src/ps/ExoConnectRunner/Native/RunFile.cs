using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// A file of the run directory written after the user's script ran (result.json, plan.txt;
    /// Events.ps1's Write-RunFile).
    /// </summary>
    public static class RunFile
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        /// <summary>
        /// Removes what is at the path and makes a new file with the text as UTF-8, so that nothing
        /// the script put there (a named pipe would block the write, a link would send it elsewhere)
        /// is written through. The script may have removed the run directory itself: it is made again.
        /// Returns the SHA-256 of the bytes written, in lower-case hex, for the signed event that
        /// vouches for the file: what the script starts may still change the file afterwards, and
        /// the action reads it only when it still has that digest (src/outcome.ts).
        /// </summary>
        public static string Write(string path, string text)
        {
            if (path == null) throw new ArgumentNullException("path");
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.Delete(path);
            byte[] bytes = Utf8.GetBytes(text ?? string.Empty);
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
            {
                stream.Write(bytes, 0, bytes.Length);
            }
            using (SHA256 sha = SHA256.Create())
            {
                var hex = new StringBuilder(64);
                foreach (byte b in sha.ComputeHash(bytes)) hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                return hex.ToString();
            }
        }
    }
}
