using System.Text.Json;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>One element of the <c>POST /examples/v1/relay</c> body: POST <see cref="Arguments"/> as JSON to <see cref="Url"/>.</summary>
public sealed record RelayCall(Uri Url, JsonElement Arguments);
