namespace MetricsEngine.Core.Common;

/// <summary>Entities whose creation and last change are stamped by the persistence layer's clock.</summary>
public interface IAuditable
{
    DateTimeOffset CreatedAt { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
}
