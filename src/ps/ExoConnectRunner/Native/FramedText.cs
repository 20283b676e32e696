using System;
using System.IO;
using System.Text;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The configuration on stdin: its length in bytes on a line of its own, then that many bytes
    /// of UTF-8 (Config.ps1). Reads nothing past them: what follows is for the stop watcher.
    /// </summary>
    public static class FramedText
    {
        /// <summary>
        /// The text. The length line is read byte by byte (a StreamReader would read ahead), the
        /// text in as few reads as the pipe allows. The bytes held secrets: the array they passed
        /// through is zeroed before this returns or throws. Buffer: one to read into when it is
        /// large enough (the tests pass one, to see it zeroed afterwards), else null.
        /// </summary>
        public static string Read(Stream stream, int maxBytes, byte[] buffer)
        {
            if (stream == null) throw new ArgumentNullException("stream");
            int length = 0;
            int digits = 0;
            while (true)
            {
                int value = stream.ReadByte();
                if (value == 10 && digits > 0) break;
                if (value < 48 || value > 57 || digits >= 9)
                {
                    throw new InvalidDataException("stdin does not start with the length of the configuration (a decimal number of bytes and a newline).");
                }
                length = length * 10 + (value - 48);
                digits++;
            }
            if (length > maxBytes)
            {
                throw new InvalidDataException("The configuration is " + length + " bytes, more than the " + maxBytes + " this runner reads.");
            }
            byte[] bytes = buffer != null && buffer.Length >= length ? buffer : new byte[length];
            try
            {
                int read = 0;
                while (read < length)
                {
                    int count = stream.Read(bytes, read, length - read);
                    if (count <= 0) throw new EndOfStreamException("stdin ended after " + read + " of the configuration's " + length + " bytes.");
                    read += count;
                }
                return new UTF8Encoding(false).GetString(bytes, 0, length);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }
    }
}
