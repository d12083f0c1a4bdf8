namespace MetricsEngine.Application.Common.Validation;

/// <summary>
/// How the fields of an invalid request are named to its caller. The edge that received the
/// request knows its wire names and supplies them; without it, member paths are reported as they are.
/// </summary>
public interface IFieldNames
{
    /// <summary>The caller's name for a member path such as <c>Layouts[0].W</c>.</summary>
    string Of(string propertyPath);
}

internal sealed class MemberPathFieldNames : IFieldNames
{
    public string Of(string propertyPath) => propertyPath;
}
