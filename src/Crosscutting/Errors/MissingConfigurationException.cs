namespace MetricsEngine.Crosscutting.Errors;

/// <summary>A required setting is absent; the message names it and shows an example value.</summary>
public sealed class MissingConfigurationException(string message) : Exception(message);
