"""Guard an OpenAI-style client: prompts and replies are checked, streams too.

    OPENAI_API_KEY=... .venv/bin/python examples/guard_openai.py
"""

from openai import OpenAI

from raikit.guardrails import guard

client = guard(policy="default")(OpenAI())

if __name__ == "__main__":
    reply = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "My email is jo.doe@example.com, write me a haiku."}],
    )
    print(reply.choices[0].message.content)  # the model never saw the address
    for chunk in client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Tell me a story."}], stream=True
    ):
        print(chunk.choices[0].delta.content or "", end="", flush=True)
