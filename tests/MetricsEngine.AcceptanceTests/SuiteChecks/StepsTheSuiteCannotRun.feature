Feature: Steps the suite cannot run
  A check on the suite, not on the API. A step that no binding matches, or that two bindings
  match, must fail its scenario: a scenario that passed, or came out inconclusive, with such a
  step would claim behaviour that nobody checked (specflow.json sets
  missingOrPendingStepsOutcome to Error). Each scenario here is tagged with the failure it must
  end in, and counts as passed only when it fails that way (ExpectedFailures.cs).

  @ExpectedFailure_UndefinedStep
  Scenario: A step no binding matches fails its scenario
    Given I call the API as an administrator
    When I do something no binding matches
    Then the API answers 200 OK

  @ExpectedFailure_AmbiguousStep
  Scenario: A step two bindings match fails its scenario
    Given a step that two bindings match
