/**
 * A typed confirmation: the action's button stays disabled until the user has typed the exact word
 * (ENGAGE, RELEASE, a market's name), so a stray click or Enter cannot halt or resume trading.
 * @module
 */
import { useId } from 'react';

interface TypedConfirmationProps {
  /** The word to type, exactly (case included). */
  readonly word: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
}

/** Whether `typed` confirms `word`: the exact word, surrounding spaces ignored. */
function isConfirmed(typed: string, word: string): boolean {
  return typed.trim() === word;
}

function TypedConfirmation({ word, value, onChange }: TypedConfirmationProps) {
  const id = useId();
  return (
    <p className="field">
      <label htmlFor={id}>
        Type <strong>{word}</strong> to confirm
      </label>
      <input
        id={id}
        value={value}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onChange(event.target.value)}
      />
    </p>
  );
}

export { isConfirmed, TypedConfirmation };
