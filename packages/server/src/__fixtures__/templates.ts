// Templates the HTTP tests publish (in a module of its own: a test file that imported another test
// file ran that file's tests a second time, and with shared modules, not at all in their own file).

/** A one-module template whose `legal` slot is locked. */
export const LOCKED_TEMPLATE = `<mjml hs-id="notice" hs-version="1" hs-name="Notice" hs-locale="en-US">
  <mj-body>
    <mj-section hs-module="message" hs-name="Message" hs-occurs="1..1">
      <mj-column>
        <mj-text hs-slot="body" hs-kind="text" hs-max="200">Hello</mj-text>
        <mj-text hs-slot="legal" hs-kind="text" hs-lock="locked">Northwind Trails Inc.</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
