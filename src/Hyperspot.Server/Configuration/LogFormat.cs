using System.ComponentModel;

namespace Hyperspot.Server.Configuration;

/// <summary>The format of the log file (the console is always text).</summary>
[TypeConverter(typeof(ConfigNames))]
public enum LogFormat
{
    Text,
    Json,
}
