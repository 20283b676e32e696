using System;
using System.IO;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

/// <summary>
/// A .NET startup hook: .NET calls Initialize before PowerShell's own start when
/// DOTNET_STARTUP_HOOKS names this library, as the action does for the runner's PowerShell 7
/// (https://github.com/dotnet/runtime/blob/main/docs/design/features/host-startup-hook.md).
/// It parses the runner's module, beside this library's folder, on a thread-pool thread while
/// PowerShell starts: as runner.ps1's first step, that parse of about 200 KB cost each run tens of
/// milliseconds. runner.ps1 takes the syntax tree from the AppDomain's data under Key and the
/// module's path, and parses the file itself where no hook ran (Windows PowerShell, a job that
/// names hooks of its own). .NET requires the name StartupHook, outside any namespace.
/// </summary>
internal static class StartupHook
{
    /// <summary>The AppDomain data's name, followed by the module's full path.</summary>
    internal const string Key = "ExoConnectRunner.ModuleParse:";

    /// <summary>Never throws: an exception here would end the process before PowerShell starts.</summary>
    public static void Initialize()
    {
        try
        {
            string library = typeof(StartupHook).Assembly.Location;
            string module = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(library), "..", "ExoConnectRunner.psm1"));
            if (!File.Exists(module)) return;
            AppDomain.CurrentDomain.SetData(Key + module, StartParse(module));
        }
        catch (Exception)
        {
            // No parse ahead: runner.ps1 parses the file itself.
        }
    }

    /// <summary>
    /// Apart from Initialize, and not inlined into it: PowerShell's assembly is resolved when this
    /// method is compiled, inside Initialize's try, not when Initialize is.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object StartParse(string module)
    {
        return Task.Run(() => Parse(module));
    }

    /// <summary>The module's syntax tree, or null: runner.ps1 then parses the file itself, and meets its error there.</summary>
    private static ScriptBlockAst Parse(string module)
    {
        try
        {
            Token[] tokens;
            ParseError[] errors;
            ScriptBlockAst parsed = Parser.ParseFile(module, out tokens, out errors);
            return errors.Length == 0 ? parsed : null;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
