using System.Reflection;
using System.Reflection.Emit;

namespace MetricsEngine.UnitTests.Architecture;

/// <summary>The text an assembly's code carries: its string constants and every string its methods load.</summary>
internal static class StringLiterals
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .DistinctBy(code => code.Value)
        .ToDictionary(code => code.Value);

    /// <summary>
    /// Each string with the type whose code holds it: constants, and the operands of <c>ldstr</c>
    /// in every method body (lambdas, iterators and async methods included: their code is in
    /// nested types; an interpolated string's literal parts are loaded one by one).
    /// </summary>
    public static IEnumerable<(Type Type, string Text)> In(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            foreach (var field in type.GetFields(Declared).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                yield return (type, (string)field.GetRawConstantValue()!);
            }

            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                if (method.GetMethodBody()?.GetILAsByteArray() is { } il)
                {
                    foreach (var text in LoadedStrings(method.Module, il))
                    {
                        yield return (type, text);
                    }
                }
            }
        }
    }

    /// <summary>Walks the instructions (so that an operand byte is never read as an opcode) and resolves each <c>ldstr</c>.</summary>
    private static IEnumerable<string> LoadedStrings(Module module, byte[] il)
    {
        var at = 0;
        while (at < il.Length)
        {
            var twoBytes = il[at] == 0xFE;
            var code = OpCodesByValue[twoBytes ? unchecked((short)(0xFE00 | il[at + 1])) : il[at]];
            at += twoBytes ? 2 : 1;
            if (code == OpCodes.Ldstr)
            {
                yield return module.ResolveString(BitConverter.ToInt32(il, at));
            }

            at += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
        }
    }
}
