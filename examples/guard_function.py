"""Guard a plain Python generation function, then a streaming one.

    .venv/bin/python examples/guard_function.py
"""

from raikit.demo import demo_generator
from raikit.guardrails import guard, last_decision

safe_generate = guard(policy="examples/my_policy.yaml")(demo_generator)


@guard(policy="default")
def stream(prompt: str):
    # Any generator of text chunks works; chunks are checked with a bounded hold-back.
    for word in f"You asked: {prompt}. Reach our support desk at help@example.com any time.".split(" "):
        yield word + " "


if __name__ == "__main__":
    for prompt in ["You can reach our office manager at", "The weather today"]:
        try:
            print(repr(safe_generate(prompt, max_new_tokens=30)))
        except Exception as err:  # PolicyViolation when the policy says on_block: raise
            print("blocked:", err)
        decision = last_decision()
        print("  ->", decision.outcome, [str(f) for f in decision.findings])
    print("".join(stream("how do I get help?")))
