// The supplier's message, as plain text: blank lines part paragraphs and single line breaks are
// kept. React escapes it, so nothing in it is ever read as HTML.
import { Fragment } from "react";

export function paragraphsOf(message: string): string[][] {
  return message
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split("\n").map((line) => line.trim()).filter((line) => line !== ""))
    .filter((lines) => lines.length > 0);
}

export function CampaignMessage({ message }: { message: string }) {
  return (
    <>
      {paragraphsOf(message).map((lines, index) => (
        <p key={index}>
          {lines.map((line, at) => (
            <Fragment key={at}>
              {at > 0 && <br />}
              {line}
            </Fragment>
          ))}
        </p>
      ))}
    </>
  );
}
