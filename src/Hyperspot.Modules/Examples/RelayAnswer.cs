using System.Text.Json.Serialization;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>The relay's answer: how many calls were made, each one's status (0: no answer), and why calls failed.</summary>
public sealed record RelayAnswer(
    [property: JsonPropertyName("calls")] int Calls,
    [property: JsonPropertyName("statuses")] IReadOnlyList<int> Statuses,
    [property: JsonPropertyName("errors")] IReadOnlyList<RelayError> Errors);

/// <summary>A call that got no usable answer: its index in the body, its URL (secrets masked) and what went wrong.</summary>
public sealed record RelayError(
    [property: JsonPropertyName("call")] int Call,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("error")] string Error);
