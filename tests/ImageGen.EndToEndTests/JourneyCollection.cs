namespace ImageGen.EndToEndTests;

/// <summary>
/// The journeys run one after another, each on its own AppHost and data folder (a class fixture each), so every
/// journey starts as a new user would: on an empty app, with the machine's two cores to itself.
/// </summary>
[CollectionDefinition(Name)]
public sealed class JourneyCollection
{
    public const string Name = "Journeys";
}
