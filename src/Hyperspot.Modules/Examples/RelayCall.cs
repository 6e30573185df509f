using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hyperspot.Modules.Examples;

/// <summary>One element of the <c>POST /examples/v1/relay</c> body: POST <see cref="Arguments"/> as JSON to <see cref="Url"/>.</summary>
public sealed record RelayCall(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("arguments")] JsonElement Arguments);
