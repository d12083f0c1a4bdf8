using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

[assembly: MetricsEngine.AcceptanceTests.SuiteChecks.ExpectedFailures]

namespace MetricsEngine.AcceptanceTests.SuiteChecks;

/// <summary>
/// Turns a scenario tagged <c>@ExpectedFailure_&lt;reason&gt;</c> into a test that passes only
/// when the scenario fails with SpecFlow's message for that reason, and fails otherwise: when it
/// passes, is inconclusive or ignored, or fails for another reason. The tag reaches NUnit as a
/// category of the generated test.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ExpectedFailuresAttribute : Attribute, ITestAction
{
    public const string UndefinedStep = "ExpectedFailure_UndefinedStep";
    public const string AmbiguousStep = "ExpectedFailure_AmbiguousStep";

    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        [UndefinedStep] = "No matching step definition found for one or more steps.",
        [AmbiguousStep] = "Ambiguous step definitions found for step 'Given a step that two bindings match'",
    };

    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test)
    {
    }

    public void AfterTest(ITest test)
    {
        var reasons = test.Properties[PropertyNames.Category].OfType<string>().Where(Messages.ContainsKey).ToList();
        if (reasons.Count == 0)
        {
            return;
        }

        var expected = Messages[reasons.Single()];
        var result = TestExecutionContext.CurrentContext.CurrentResult;
        var message = result.Message ?? string.Empty;
        if (result.ResultState.Status == TestStatus.Failed && message.Contains(expected, StringComparison.Ordinal))
        {
            result.SetResult(ResultState.Success, $"Failed as it must: {expected}");
        }
        else
        {
            result.SetResult(ResultState.Failure,
                $"This scenario must fail with \"{expected}\", but its outcome was {result.ResultState}: {message}");
        }
    }
}
