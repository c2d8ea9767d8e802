using System.Globalization;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// One provider or CLI setting, declared once in <see cref="ProviderSettingTable"/>: the environment variable the CLI reads,
/// whether it is a secret, its default, and the rule a value must follow. Everything else is derived from these
/// declarations: <see cref="ProviderSettings.FromEnvironment"/>, the variables the worker hands the CLI, the keys
/// <see cref="SecretRedactor"/> masks, and what the AppHost forwards to the worker and the web app.
/// </summary>
public abstract class ProviderSetting
{
    private protected ProviderSetting(string variable, string? secretParameter, string rule)
    {
        Variable = variable;
        SecretParameter = secretParameter;
        Rule = rule;
    }

    /// <summary>The environment variable (also the configuration key the worker and the AppHost read it from).</summary>
    public string Variable { get; }

    /// <summary>
    /// For a secret: the AppHost parameter it may be given as (<c>Parameters:openai-api-key</c>) and is forwarded as, so
    /// the dashboard masks it. Null for a plain setting, forwarded as it is.
    /// </summary>
    public string? SecretParameter { get; }

    public bool IsSecret => SecretParameter is not null;

    /// <summary>What a value must be, in words ("a whole number from 0 to 9"); empty when any text will do.</summary>
    public string Rule { get; }

    /// <summary>Null when <paramref name="value"/> is acceptable; otherwise the usage message, naming the variable.</summary>
    public string? Check(string value)
    {
        try
        {
            ParseValue(value.Trim());
            return null;
        }
        catch (ImageGenException e) when (e.Kind == ErrorKind.Usage)
        {
            return e.Message;
        }
    }

    /// <summary>The value, trimmed, or null when the variable is unset or blank (blank counts as unset, as before).</summary>
    private protected string? Raw(Func<string, string?> read) => read(Variable) is { Length: > 0 } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private protected abstract void ParseValue(string value);

    /// <summary>
    /// The usage error for a bad value: it quotes the value, except a secret's, which must not reach a message, a log or
    /// a stored job error.
    /// </summary>
    private protected ImageGenException Refuse(string value) =>
        ImageGenException.Usage(IsSecret ? $"{Variable} is not valid: it must be {Rule}." : $"{Variable} is '{value}': it must be {Rule}.");

    public override string ToString() => Variable;
}

/// <summary>A setting whose value reads as a <typeparamref name="T"/>.</summary>
public sealed class ProviderSetting<T> : ProviderSetting
{
    private readonly Func<ProviderSetting<T>, string, T> _parse;

    internal ProviderSetting(string variable, T defaultValue, string rule, Func<ProviderSetting<T>, string, T> parse, string? secretParameter = null)
        : base(variable, secretParameter, rule)
    {
        Default = defaultValue;
        _parse = parse;
    }

    /// <summary>What an unset (or blank) variable means.</summary>
    public T Default { get; }

    /// <summary>The value <paramref name="read"/> gives for <see cref="ProviderSetting.Variable"/>, or <see cref="Default"/>; a usage error naming the variable when it breaks the rule.</summary>
    public T Read(Func<string, string?> read) => Raw(read) is { } value ? _parse(this, value) : Default;

    private protected override void ParseValue(string value) => _parse(this, value);

    internal T Fail(string value) => throw Refuse(value);

    /// <summary>Any text.</summary>
    internal static ProviderSetting<T> Text(string variable, T defaultValue, Func<string, T> convert) =>
        new(variable, defaultValue, "", (_, value) => convert(value));

    /// <summary>A number within [min, max]; whole when <paramref name="wholeNumber"/>.</summary>
    internal static ProviderSetting<T> Number(string variable, T defaultValue, double min, double max, bool wholeNumber, Func<double, T> convert)
    {
        var rule = $"{(wholeNumber ? "a whole number" : "a number")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        var styles = wholeNumber ? NumberStyles.None : NumberStyles.AllowDecimalPoint;
        return new(variable, defaultValue, rule, (setting, value) =>
            double.TryParse(value, styles, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
                ? convert(number)
                : setting.Fail(value));
    }
}

/// <summary>The kinds of setting <see cref="ProviderSettingTable"/> declares, each with its rule and its message.</summary>
internal static class SettingKinds
{
    public static ProviderSetting<string> Text(string variable, string defaultValue) =>
        ProviderSetting<string>.Text(variable, defaultValue, value => value);

    /// <summary>Text with no default: unset means "not configured".</summary>
    public static ProviderSetting<string?> OptionalText(string variable) =>
        ProviderSetting<string?>.Text(variable, null, value => value);

    /// <summary>A key or a password: forwarded by the AppHost as the secret parameter <paramref name="parameter"/>, masked by <see cref="SecretRedactor"/>.</summary>
    public static ProviderSetting<string?> Secret(string variable, string parameter) =>
        new(variable, null, "", (_, value) => value, parameter);

    /// <summary>HTTP Basic credentials, <c>user:password</c> (as AUTOMATIC1111's <c>--api-auth</c> takes them); a secret.</summary>
    public static ProviderSetting<string?> Credentials(string variable, string parameter) =>
        new(variable, null, "user:password (a user name, a colon, then the password)",
            (setting, value) => value.IndexOf(':', StringComparison.Ordinal) > 0 ? value : setting.Fail(value), parameter);

    /// <summary>true or false (also 1/0, yes/no).</summary>
    public static ProviderSetting<bool> Flag(string variable) =>
        new(variable, false, "true or false", (setting, value) => value.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => setting.Fail(value),
        });

    public static ProviderSetting<int> WholeNumber(string variable, int defaultValue, int min, int max) =>
        ProviderSetting<int>.Number(variable, defaultValue, min, max, wholeNumber: true, number => (int)number);

    public static ProviderSetting<double> Number(string variable, double defaultValue, double min, double max) =>
        ProviderSetting<double>.Number(variable, defaultValue, min, max, wholeNumber: false, number => number);

    /// <summary>A count of input images: a whole number from 0 to <see cref="JobSpec.MaxReferences"/>; unset is null (the caller's default).</summary>
    public static ProviderSetting<int?> Count(string variable) =>
        ProviderSetting<int?>.Number(variable, null, 0, JobSpec.MaxReferences, wholeNumber: true, number => (int)number);

    /// <summary>Whole seconds within [min, max].</summary>
    public static ProviderSetting<TimeSpan> Seconds(string variable, TimeSpan defaultValue, int min, int max) =>
        ProviderSetting<TimeSpan>.Number(variable, defaultValue, min, max, wholeNumber: true, TimeSpan.FromSeconds);
}
