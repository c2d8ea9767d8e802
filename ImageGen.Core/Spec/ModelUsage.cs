namespace ImageGen.Core.Spec;

/// <summary>
/// The tokens a provider reported for a request (OpenAI <c>usage</c>, Gemini <c>usageMetadata</c>), split the way they are
/// priced: text and image input, text and image output. Summed over the calls of one run.
/// </summary>
public sealed record ModelUsage(long TextInputTokens, long ImageInputTokens, long TextOutputTokens, long ImageOutputTokens)
{
    public long TotalTokens => TextInputTokens + ImageInputTokens + TextOutputTokens + ImageOutputTokens;

    public static ModelUsage? Add(ModelUsage? a, ModelUsage? b) => a is null ? b : b is null ? a : new(
        a.TextInputTokens + b.TextInputTokens, a.ImageInputTokens + b.ImageInputTokens,
        a.TextOutputTokens + b.TextOutputTokens, a.ImageOutputTokens + b.ImageOutputTokens);
}

/// <summary>What a run cost, from <see cref="Providers.PriceTable"/>: null <see cref="Usd"/> when it could not be priced, with why.</summary>
/// <param name="PricesTaken">The date the price table's figures were taken.</param>
public sealed record RunCost(decimal? Usd, string Basis, string PricesTaken);
