using System.CodeDom.Compiler;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

[assembly: MetricsEngine.AcceptanceTests.NameScenariosAfterTheirFeature]

namespace MetricsEngine.AcceptanceTests;

/// <summary>
/// Names each test SpecFlow generates "Feature: Scenario", as a reader of the feature files says
/// it, instead of the C# method name SpecFlow derives (CachingFeature.ANewRecordIsVisibleAtOnce).
/// An Examples row fills the outline's &lt;placeholders&gt; with its values, or, when the title
/// names none, follows the title with the values in brackets. Only the display name changes: the
/// full name stays the generated class and method, so both <c>--filter "Name~Caching"</c> and
/// <c>--filter "FullyQualifiedName~CachingFeature"</c> select a feature.
/// </summary>
/// <remarks>
/// NUnit applies an assembly's attributes once every fixture and test case has been built, so
/// this sees the whole tree. SpecFlow 3.9's NUnit generator has no setting for test names.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed partial class NameScenariosAfterTheirFeatureAttribute : Attribute, IApplyToTest
{
    public void ApplyToTest(Test test)
    {
        foreach (var fixture in Descendants(test).OfType<TestFixture>().Where(IsGeneratedFeature))
        {
            var feature = Description(fixture.TypeInfo!.Type);
            foreach (var scenario in Descendants(fixture).OfType<TestMethod>())
            {
                var title = Description(scenario.Method.MethodInfo);
                scenario.Name = $"{feature}: {(scenario.Arguments.Length == 0 ? title : ExampleTitle(title, scenario))}";
            }
        }
    }

    private static string ExampleTitle(string title, TestMethod example)
    {
        // The generated method takes one parameter per Examples column, then the row's tags.
        var values = example.Method.GetParameters()
            .Zip(example.Arguments, (parameter, value) => (Key: Key(parameter.ParameterInfo.Name!), Value: value as string))
            .Where(p => p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value!);
        var filled = Placeholder().Replace(title, m => values.TryGetValue(Key(m.Groups[1].Value), out var value) ? value : m.Value);
        return filled != title ? filled : $"{title} [{string.Join(", ", values.Values)}]";
    }

    private static bool IsGeneratedFeature(TestFixture fixture) =>
        fixture.TypeInfo?.Type.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "TechTalk.SpecFlow";

    private static string Description(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(typeof(DescriptionAttribute), inherit: false).Cast<DescriptionAttribute>()
            .Select(d => d.Properties.Get(PropertyNames.Description) as string)
            .FirstOrDefault() ?? throw new InvalidOperationException($"SpecFlow left no [Description] on {member}.");

    /// <summary>A column name as SpecFlow turns it into a parameter name: letters and digits, any case.</summary>
    private static string Key(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static IEnumerable<Test> Descendants(Test test) =>
        test.Tests.Cast<Test>().SelectMany(child => Descendants(child).Prepend(child));

    [GeneratedRegex("<([^<>]+)>")]
    private static partial Regex Placeholder();
}
