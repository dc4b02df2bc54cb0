// The two templates `hubspoke init` writes. Slots are declared inline with hs-* attributes
// (see @hubspoke/template-engine); the engine strips them before MJML sees the markup.

const head = (title: string, preview: string) => `  <mj-head>
    <mj-title hs-max="60">${title}</mj-title>
    <mj-preview hs-max="120" hs-required="false">${preview}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Inter, Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="#1F2933" />
      <mj-button background-color="#1B5E3F" color="#FFFFFF" font-weight="700" border-radius="4px" font-size="16px" />
      <mj-class name="muted" color="#52606D" font-size="13px" />
    </mj-attributes>
  </mj-head>`;

const header = `    <mj-section hs-module="header" hs-name="Header" hs-lock="locked" hs-pinned="true" hs-position="start" hs-occurs="1..1" background-color="#FFFFFF" padding="12px 24px">
      <mj-column>
        <mj-image src="https://cdn.northwind.example/brand/logo.png" alt="Northwind Trails" width="140px" align="left" href="https://northwind.example/?utm_source=newsletter&amp;utm_medium=email" />
      </mj-column>
    </mj-section>`;

const footer = `    <mj-section hs-module="footer" hs-name="Footer" hs-lock="textOnly" hs-pinned="true" hs-position="end" hs-occurs="1..1" background-color="#F4F6F8" padding="16px 24px">
      <mj-column>
        <mj-text mj-class="muted" align="center" hs-slot="address" hs-kind="text" hs-max="200">Northwind Trails Inc. · 500 Congress Avenue · Austin, TX 78701</mj-text>
        <mj-text mj-class="muted" align="center"><a href="https://northwind.example/preferences?utm_source=newsletter&amp;utm_medium=email" style="color:#52606D">Email preferences</a> · <a href="https://northwind.example/unsubscribe?utm_source=newsletter&amp;utm_medium=email" style="color:#52606D">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>`;

/** Pinned header and footer around six modules; features repeat up to three times. */
export const newsletterTemplate = `<mjml hs-id="seasonal-newsletter" hs-version="1" hs-name="Seasonal newsletter" hs-locale="en-US" hs-fallbacks="de-AT: de-DE, en-US; en-GB: en-US" hs-ordering="declared" hs-initial="header, hero, intro, feature, quote, closing, footer">
${head('Northwind Trails', 'New gear for the trail')}
  <mj-body width="600px" background-color="#F4F6F8">
${header}
    <mj-section hs-module="hero" hs-name="Hero" hs-occurs="1..1" background-color="#1B5E3F" padding="32px 24px">
      <mj-column>
        <mj-image hs-slot="image" hs-kind="image" hs-min-width="300" hs-domains="cdn.northwind.example" src="https://cdn.northwind.example/assets/hero-spring.jpg" alt="Hikers on a spring trail" width="552px" border-radius="6px" />
        <mj-text align="center" color="#FFFFFF" font-size="30px" line-height="36px"><h1 hs-slot="headline" hs-kind="text" hs-max="60" hs-required="true" style="margin:0;font-size:30px;line-height:36px">Spring is on the trail</h1></mj-text>
        <mj-text align="center" color="#FFFFFF" hs-slot="subline" hs-kind="text" hs-max="120">Fresh gear for longer days outside.</mj-text>
        <mj-button hs-slot="cta" hs-kind="link" hs-max="30" hs-domains="northwind.example, *.northwind.example" background-color="#FFFFFF" color="#1B5E3F" href="https://northwind.example/spring?utm_source=newsletter&amp;utm_medium=email">Shop the season</mj-button>
      </mj-column>
    </mj-section>
    <mj-section hs-module="intro" hs-name="Introduction" background-color="#FFFFFF" padding="24px">
      <mj-column>
        <mj-text hs-slot="greeting" hs-kind="text" hs-max="80">Hi {{ contact.firstName | default: "there" }},</mj-text>
        <mj-text hs-slot="body" hs-kind="richText" hs-max="900" hs-allowed-tags="p,strong,em,a,br"><p>The days are getting longer, and so are the trails. Here is what is new this season.</p></mj-text>
      </mj-column>
    </mj-section>
    <mj-section hs-module="feature" hs-name="Featured product" hs-occurs="0..3" background-color="#FFFFFF" padding="12px 24px">
      <mj-column width="40%">
        <mj-image hs-slot="photo" hs-kind="image" hs-min-width="120" hs-max-width="240" hs-domains="cdn.northwind.example" src="https://cdn.northwind.example/assets/tent-alpine.jpg" alt="The Alpine 2 tent at dusk" width="200px" border-radius="6px" />
      </mj-column>
      <mj-column width="60%">
        <mj-text><h2 hs-slot="title" hs-kind="text" hs-max="60" hs-required="true" style="margin:0 0 8px;font-size:20px;line-height:26px">Alpine 2 tent</h2></mj-text>
        <mj-text hs-slot="summary" hs-kind="richText" hs-max="400" hs-allowed-tags="p,strong,em,br">Two people, one kilo, four seasons.</mj-text>
        <mj-button hs-slot="link" hs-kind="link" hs-max="30" hs-domains="northwind.example" align="left" href="https://northwind.example/tents/alpine-2?utm_source=newsletter&amp;utm_medium=email">See the Alpine 2 tent</mj-button>
      </mj-column>
    </mj-section>
    <mj-wrapper hs-module="offer" hs-name="Offer" hs-tags="pricing" padding="12px 24px" background-color="#FFFFFF">
      <mj-section background-color="#1B5E3F" border-radius="6px" padding="20px" hs-slot="background" hs-kind="color" hs-attr="background-color">
        <mj-column>
          <mj-text color="#FFFFFF" align="center" font-size="22px" line-height="28px" hs-slot="headline" hs-kind="text" hs-max="60">Members save 15% this month</mj-text>
          <mj-text color="#FFFFFF" align="center" font-size="28px" line-height="34px" hs-slot="price" hs-kind="text" hs-max="40">From $199</mj-text>
          <mj-text color="#FFFFFF" align="center" font-size="13px" hs-slot="terms" hs-kind="text" hs-max="200">Member prices apply until 31 May. Terms at northwind.example/terms.</mj-text>
          <mj-button background-color="#FFFFFF" color="#1B5E3F" hs-slot="cta" hs-kind="link" hs-max="25" hs-domains="northwind.example" href="https://northwind.example/members?utm_source=newsletter&amp;utm_medium=email">Become a member</mj-button>
        </mj-column>
      </mj-section>
    </mj-wrapper>
    <mj-section hs-module="quote" hs-name="Customer story" background-color="#FFFFFF" padding="16px 24px">
      <mj-column>
        <mj-text font-size="20px" line-height="28px" font-style="italic" align="center" hs-slot="quote" hs-kind="text" hs-max="240" hs-multiline="true">“Three weeks on the Pacific Crest Trail, and the pack never let me down.”</mj-text>
        <mj-text align="center" mj-class="muted" hs-slot="author" hs-kind="text" hs-max="60">Priya N., Portland</mj-text>
      </mj-column>
    </mj-section>
    <mj-section hs-module="closing" hs-name="Closing call to action" background-color="#FFFFFF" padding="8px 24px 24px" hs-slot="background" hs-kind="color" hs-attr="background-color">
      <mj-column>
        <mj-text align="center"><h2 hs-slot="heading" hs-kind="text" hs-max="60" style="margin:0;font-size:20px;line-height:26px">See you out there</h2></mj-text>
        <mj-button hs-slot="cta" hs-kind="link" hs-max="30" hs-domains="northwind.example, *.northwind.example" href="https://northwind.example/stores?utm_source=newsletter&amp;utm_medium=email">Find a store near you</mj-button>
      </mj-column>
    </mj-section>
${footer}
  </mj-body>
</mjml>
`;

/** A short announcement: header, message, call to action, footer. */
export const announcementTemplate = `<mjml hs-id="announcement" hs-version="1" hs-name="Announcement" hs-locale="en-US" hs-ordering="declared">
${head('News from Northwind Trails', 'An update for you')}
  <mj-body width="600px" background-color="#F4F6F8">
${header}
    <mj-section hs-module="message" hs-name="Message" hs-occurs="1..1" background-color="#FFFFFF" padding="24px">
      <mj-column>
        <mj-text><h1 hs-slot="headline" hs-kind="text" hs-max="60" hs-required="true" style="margin:0;font-size:26px;line-height:32px">Our Austin store is open</h1></mj-text>
        <mj-text hs-slot="body" hs-kind="richText" hs-max="1200" hs-allowed-tags="p,strong,em,a,br,ul,li"><p>Come by 500 Congress Avenue to try on packs and boots.</p></mj-text>
        <mj-button hs-slot="cta" hs-kind="link" hs-max="30" hs-domains="northwind.example" href="https://northwind.example/stores/austin?utm_source=newsletter&amp;utm_medium=email">Plan your visit</mj-button>
      </mj-column>
    </mj-section>
${footer}
  </mj-body>
</mjml>
`;
