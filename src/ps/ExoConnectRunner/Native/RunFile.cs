using System;
using System.IO;
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
        /// </summary>
        public static void Write(string path, string text)
        {
            if (path == null) throw new ArgumentNullException("path");
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.Delete(path);
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
            {
                byte[] bytes = Utf8.GetBytes(text ?? string.Empty);
                stream.Write(bytes, 0, bytes.Length);
            }
        }
    }
}
