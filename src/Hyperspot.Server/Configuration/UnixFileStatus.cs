using System.Runtime.InteropServices;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The type and size of a file as the kernel knows them (symbolic links followed), without opening it: opening a
/// FIFO blocks until a writer comes, and a device never ends. .NET exposes neither the type nor the real size of
/// such files, so this asks Linux's <c>statx(2)</c>, whose result layout is the same on every architecture.
/// Elsewhere (or on a libc without it) <see cref="TryGet"/> returns null and the caller relies on a read deadline.
/// </summary>
internal static class UnixFileStatus
{
    private const int AtCurrentDirectory = -100;
    private const uint TypeAndSize = 0x0001 | 0x0200; // STATX_TYPE | STATX_SIZE
    private const int BufferSize = 256;               // sizeof(struct statx)
    private const int ModeOffset = 28;                // __u16 stx_mode
    private const int SizeOffset = 40;                // __u64 stx_size

    [UnmanagedFunctionPointer(CallingConvention.Cdecl, SetLastError = true)]
    private delegate int StatxFunction(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    private static readonly Lazy<StatxFunction?> Statx = new(Load);

    public enum Kind
    {
        Regular,
        Directory,
        CharacterDevice,
        BlockDevice,
        Fifo,
        Socket,
        Other,
    }

    /// <summary>The file's kind and size, or null when the system cannot tell (not Linux, or the call failed).</summary>
    public static (Kind Kind, long Size)? TryGet(string path)
    {
        if (Statx.Value is not { } statx)
        {
            return null;
        }

        var buffer = new byte[BufferSize];
        if (statx(AtCurrentDirectory, path, 0, TypeAndSize, buffer) != 0)
        {
            return null;
        }

        // statx fields are in the machine's byte order, as BitConverter reads them.
        var mode = BitConverter.ToUInt16(buffer, ModeOffset);
        var size = (long)BitConverter.ToUInt64(buffer, SizeOffset);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            0x2000 => Kind.CharacterDevice,
            0x6000 => Kind.BlockDevice,
            0x1000 => Kind.Fifo,
            0xC000 => Kind.Socket,
            _ => Kind.Other,
        };
        return (kind, size);
    }

    public static string Describe(Kind kind) => kind switch
    {
        Kind.Directory => "a directory",
        Kind.CharacterDevice => "a character device",
        Kind.BlockDevice => "a block device",
        Kind.Fifo => "a named pipe (FIFO)",
        Kind.Socket => "a socket",
        _ => "not a regular file",
    };

    private static StatxFunction? Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var name in new[] { "libc.so.6", "libc" })
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "statx", out var function))
            {
                return Marshal.GetDelegateForFunctionPointer<StatxFunction>(function);
            }
        }

        return null;
    }
}
