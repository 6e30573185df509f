using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Stands in for a logged exception whose text holds a secret (a URL with its token, a refused
/// <c>Authorization</c> header line quoted by the server): the same text, type name and stack frames, with the
/// secrets masked (<see cref="SecretRedactor.RedactText"/>). Log sinks render an exception through
/// <see cref="ToString"/> and <see cref="Exception.Message"/>, so these are all they see.
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string _text;

    private RedactedException(Exception original, string message, string text)
        : base(message)
    {
        _text = text;
        HResult = original.HResult;
    }

    /// <summary><paramref name="exception"/> itself when its text holds no secret, otherwise a masked stand-in.</summary>
    public static Exception From(Exception exception)
    {
        var text = exception.ToString();
        var redactedText = SecretRedactor.RedactText(text);
        var redactedMessage = SecretRedactor.RedactText(exception.Message);
        return ReferenceEquals(text, redactedText) && ReferenceEquals(exception.Message, redactedMessage)
            ? exception
            : new RedactedException(exception, redactedMessage, redactedText);
    }

    public override string ToString() => _text;
}
