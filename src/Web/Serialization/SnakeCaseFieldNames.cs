using System.Text;
using System.Text.Json;
using MetricsEngine.Application.Common.Validation;

namespace MetricsEngine.Web.Serialization;

/// <summary>Turns C# member paths into the snake_case names API callers send (<c>Layouts[0].W</c> → <c>layouts[0].w</c>).</summary>
internal sealed class SnakeCaseFieldNames : IFieldNames
{
    public string Of(string propertyPath)
    {
        if (string.IsNullOrEmpty(propertyPath))
        {
            return string.Empty;
        }

        var name = new StringBuilder(propertyPath.Length + 8);
        foreach (var segment in propertyPath.Split('.'))
        {
            if (name.Length > 0)
            {
                name.Append('.');
            }

            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var member = bracket < 0 ? segment : segment[..bracket];
            name.Append(JsonNamingPolicy.SnakeCaseLower.ConvertName(member));
            if (bracket >= 0)
            {
                name.Append(segment.AsSpan(bracket));
            }
        }

        return name.ToString();
    }
}
