<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv">
  <context>
    <name>AccessSettings</name>
    <message>
      <source>A tag blocked while it charges:</source>
      <translation>En tagg som spärras under laddning:</translation>
    </message>
    <message>
      <source>Accept them as walk-ins, so the desk can take payment</source>
      <translation>Godkänn dem som drop in-kunder, så att disken kan ta betalt</translation>
    </message>
    <message>
      <source>Access settings</source>
      <translation>Åtkomstinställningar</translation>
    </message>
    <message>
      <source>Keep the chargers' local authorization lists in step with access changes</source>
      <translation>Håll laddstationernas lokala behörighetslistor i takt med ändringar i åtkomsten</translation>
    </message>
    <message>
      <source>Let the session finish</source>
      <translation>Låt laddningen fortsätta tills den är klar</translation>
    </message>
    <message>
      <source>Local lists:</source>
      <translation>Lokala listor:</translation>
    </message>
    <message>
      <source>Refuse them</source>
      <translation>Neka dem</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Spara</translation>
    </message>
    <message>
      <source>Saved in {path}.</source>
      <translation>Sparas i {path}.</translation>
    </message>
    <message>
      <source>Sites' time zone:</source>
      <translation>Platsernas tidszon:</translation>
    </message>
    <message>
      <source>Stop the session at once</source>
      <translation>Stoppa laddningen direkt</translation>
    </message>
    <message>
      <source>Tags nobody registered:</source>
      <translation>Taggar som ingen registrerat:</translation>
    </message>
    <message>
      <source>Takes effect after ChargeDesk restarts.</source>
      <translation>Gäller efter att ChargeDesk startats om.</translation>
    </message>
    <message>
      <source>The environment also sets {names}; at the next start it wins over this file.</source>
      <translation>Miljön sätter också {names}; vid nästa start gäller den före den här filen.</translation>
    </message>
    <message>
      <source>This computer's time zone</source>
      <translation>Den här datorns tidszon</translation>
    </message>
    <message>
      <source>{path} could not be written ({reason}); nothing was changed.</source>
      <translation>{path} kunde inte skrivas ({reason}); inget ändrades.</translation>
    </message>
    <message>
      <source>{zone} is not a time zone; choose one such as Europe/Stockholm, or leave it empty for this computer's zone.</source>
      <translation>{zone} är ingen tidszon; välj en som Europe/Stockholm, eller lämna tomt för den här datorns tidszon.</translation>
    </message>
  </context>
  <context>
    <name>AccessText</name>
    <message>
      <source>(removed)</source>
      <translation>(borttagen)</translation>
    </message>
    <message>
      <source>Accepted</source>
      <translation>Godkänd</translation>
    </message>
    <message>
      <source>Blocked</source>
      <translation>Spärrad</translation>
    </message>
    <message>
      <source>Drivers without a fleet and the public</source>
      <translation>Förare utan flotta och allmänheten</translation>
    </message>
    <message>
      <source>Everyone</source>
      <translation>Alla</translation>
    </message>
    <message>
      <source>Expired</source>
      <translation>Utgången</translation>
    </message>
    <message>
      <source>Fleet {name}</source>
      <translation>Flottan {name}</translation>
    </message>
    <message>
      <source>Fri</source>
      <translation>fre</translation>
    </message>
    <message>
      <source>Mon</source>
      <translation>mån</translation>
    </message>
    <message>
      <source>Refused: driver inactive</source>
      <translation>Nekas: föraren är inaktiv</translation>
    </message>
    <message>
      <source>Sat</source>
      <translation>lör</translation>
    </message>
    <message>
      <source>Sun</source>
      <translation>sön</translation>
    </message>
    <message>
      <source>Thu</source>
      <translation>tor</translation>
    </message>
    <message>
      <source>Tue</source>
      <translation>tis</translation>
    </message>
    <message>
      <source>Wed</source>
      <translation>ons</translation>
    </message>
    <message>
      <source>a removed site</source>
      <translation>en borttagen plats</translation>
    </message>
    <message>
      <source>all day</source>
      <translation>hela dygnet</translation>
    </message>
    <message>
      <source>anywhere</source>
      <translation>överallt</translation>
    </message>
    <message>
      <source>at station {station}</source>
      <translation>vid laddstationen {station}</translation>
    </message>
    <message>
      <source>at {site}</source>
      <translation>på {site}</translation>
    </message>
    <message>
      <source>every day</source>
      <translation>alla dagar</translation>
    </message>
    <message>
      <source>no budget</source>
      <translation>ingen budget</translation>
    </message>
    <message>
      <source>{days}, all day</source>
      <translation>{days}, hela dygnet</translation>
    </message>
    <message>
      <source>{who} may charge {where}, {when}</source>
      <translation>{who} får ladda {where}, {when}</translation>
    </message>
  </context>
  <context>
    <name>Alarms</name>
    <message>
      <source>&amp;Acknowledge</source>
      <translation>&amp;Kvittera</translation>
    </message>
    <message>
      <source>1 unacknowledged alarm</source>
      <translation>1 okvitterat larm</translation>
    </message>
    <message>
      <source>Acknowledge all for &amp;station</source>
      <translation>Kvittera alla för &amp;stationen</translation>
    </message>
    <message>
      <source>Acknowledge every open alarm of {station}</source>
      <translation>Kvittera alla öppna larm för {station}</translation>
    </message>
    <message>
      <source>Acknowledged</source>
      <translation>Kvitterat</translation>
    </message>
    <message>
      <source>Alarm</source>
      <translation>Larm</translation>
    </message>
    <message>
      <source>Alarms</source>
      <translation>Larm</translation>
    </message>
    <message>
      <source>All clear: no unacknowledged alarms</source>
      <translation>Allt lugnt: inga okvitterade larm</translation>
    </message>
    <message>
      <source>All stations</source>
      <translation>Alla stationer</translation>
    </message>
    <message>
      <source>Authorization rejected</source>
      <translation>Auktorisering avvisad</translation>
    </message>
    <message>
      <source>Connection refused</source>
      <translation>Anslutning nekad</translation>
    </message>
    <message>
      <source>Connector fault</source>
      <translation>Fel på uttag</translation>
    </message>
    <message>
      <source>Could not read the alarms: {why}</source>
      <translation>Larmen kunde inte läsas: {why}</translation>
    </message>
    <message>
      <source>Details</source>
      <translation>Detaljer</translation>
    </message>
    <message>
      <source>Event log</source>
      <translation>Händelselogg</translation>
    </message>
    <message>
      <source>Firmware update failed</source>
      <translation>Firmwareuppdateringen misslyckades</translation>
    </message>
    <message>
      <source>Information</source>
      <translation>Information</translation>
    </message>
    <message>
      <source>Mark the selected alarms as seen by you</source>
      <translation>Markera de valda larmen som sedda av dig</translation>
    </message>
    <message>
      <source>Select an alarm of a station first</source>
      <translation>Välj först ett larm för en station</translation>
    </message>
    <message>
      <source>Severity</source>
      <translation>Allvarlighetsgrad</translation>
    </message>
    <message>
      <source>Show acknowledged</source>
      <translation>Visa kvitterade</translation>
    </message>
    <message>
      <source>Sound on new alarm</source>
      <translation>Ljud vid nytt larm</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Station offline</source>
      <translation>Station frånkopplad</translation>
    </message>
    <message>
      <source>Station problem</source>
      <translation>Problem med station</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Tid</translation>
    </message>
    <message>
      <source>Transaction to check</source>
      <translation>Transaktion att kontrollera</translation>
    </message>
    <message>
      <source>Waiting for approval</source>
      <translation>Väntar på godkännande</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>Varning</translation>
    </message>
    <message>
      <source>What</source>
      <translation>Vad</translation>
    </message>
    <message>
      <source>{n} unacknowledged alarms</source>
      <translation>{n} okvitterade larm</translation>
    </message>
    <message>
      <source>{who}, {when}</source>
      <translation>{who}, {when}</translation>
    </message>
  </context>
  <context>
    <name>App</name>
    <message>
      <source>ChargeDesk cannot start</source>
      <translation>ChargeDesk kan inte starta</translation>
    </message>
    <message>
      <source>The engine could not start:
{reason}</source>
      <translation>Motorn kunde inte starta:
{reason}</translation>
    </message>
  </context>
  <context>
    <name>AuditLogDialog</name>
    <message>
      <source>&amp;Export CSV…</source>
      <translation>&amp;Exportera CSV…</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>Åtgärd</translation>
    </message>
    <message>
      <source>Action:</source>
      <translation>Åtgärd:</translation>
    </message>
    <message>
      <source>Any outcome</source>
      <translation>Alla utfall</translation>
    </message>
    <message>
      <source>Any part</source>
      <translation>Alla delar</translation>
    </message>
    <message>
      <source>Audit log</source>
      <translation>Granskningslogg</translation>
    </message>
    <message>
      <source>CSV, comma-separated (*.csv)</source>
      <translation>CSV, kommaseparerad (*.csv)</translation>
    </message>
    <message>
      <source>ChargeDesk itself</source>
      <translation>ChargeDesk själv</translation>
    </message>
    <message>
      <source>Command line</source>
      <translation>Kommandoraden</translation>
    </message>
    <message>
      <source>Control room</source>
      <translation>Kontrollrummet</translation>
    </message>
    <message>
      <source>Denied</source>
      <translation>Nekad</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>Detalj</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>Utförd</translation>
    </message>
    <message>
      <source>Every entry the filters select (up to {n}), times in UTC; the export is logged</source>
      <translation>Alla poster som filtren väljer (högst {n}), tider i UTC; exporten loggas</translation>
    </message>
    <message>
      <source>Export the audit log as CSV</source>
      <translation>Exportera granskningsloggen som CSV</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>Misslyckad</translation>
    </message>
    <message>
      <source>From:</source>
      <translation>Från:</translation>
    </message>
    <message>
      <source>HTTP API</source>
      <translation>HTTP-API</translation>
    </message>
    <message>
      <source>Narrow the filters to see older ones.</source>
      <translation>Snäva in filtren för att se äldre poster.</translation>
    </message>
    <message>
      <source>No entries match these filters.</source>
      <translation>Inga poster matchar filtren.</translation>
    </message>
    <message>
      <source>Not exported: {why}</source>
      <translation>Inte exporterad: {why}</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>Utfall</translation>
    </message>
    <message>
      <source>Outcome:</source>
      <translation>Utfall:</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>Roll</translation>
    </message>
    <message>
      <source>Saved to {path}.</source>
      <translation>Sparad i {path}.</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>Mål</translation>
    </message>
    <message>
      <source>Through</source>
      <translation>Via</translation>
    </message>
    <message>
      <source>Through:</source>
      <translation>Via:</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Tid</translation>
    </message>
    <message>
      <source>To:</source>
      <translation>Till:</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>Vem</translation>
    </message>
    <message>
      <source>Who:</source>
      <translation>Vem:</translation>
    </message>
    <message>
      <source>any (e.g. operator. or tariff.)</source>
      <translation>alla (t.ex. operator. eller tariff.)</translation>
    </message>
    <message>
      <source>anyone (exact user name)</source>
      <translation>alla (exakt användarnamn)</translation>
    </message>
    <message>
      <source>{n} entries, newest first.</source>
      <translation>{n} poster, nyaste först.</translation>
    </message>
    <message>
      <source>{n} entries, newest first; showing the first {page}.</source>
      <translation>{n} poster, nyaste först; de första {page} visas.</translation>
    </message>
    <message>
      <source>{time} UTC</source>
      <translation>{time} UTC</translation>
    </message>
  </context>
  <context>
    <name>BackupRestore</name>
    <message>
      <source>&amp;Back up now</source>
      <translation>&amp;Säkerhetskopiera nu</translation>
    </message>
    <message>
      <source>&amp;Restore…</source>
      <translation>&amp;Återställ…</translation>
    </message>
    <message>
      <source>A backup is made every {hours} hours; the newest {keep} are kept.</source>
      <translation>En säkerhetskopia görs med {hours} timmars mellanrum; de {keep} senaste sparas.</translation>
    </message>
    <message>
      <source>Backed up to {name} ({size}); the copy passed its check.</source>
      <translation>Säkerhetskopierat till {name} ({size}); kopian klarade kontrollen.</translation>
    </message>
    <message>
      <source>Backing up… chargers are served meanwhile.</source>
      <translation>Säkerhetskopierar… laddarna betjänas under tiden.</translation>
    </message>
    <message>
      <source>Backups</source>
      <translation>Säkerhetskopior</translation>
    </message>
    <message>
      <source>Backups are kept in {folder}. {schedule}</source>
      <translation>Säkerhetskopiorna sparas i {folder}. {schedule}</translation>
    </message>
    <message>
      <source>Backups are made only when you ask; the newest {keep} are kept.</source>
      <translation>Säkerhetskopior görs bara när du begär det; de {keep} senaste sparas.</translation>
    </message>
    <message>
      <source>ChargeDesk databases (*.sqlite3 *.db);;All files (*)</source>
      <translation>ChargeDesk-databaser (*.sqlite3 *.db);;Alla filer (*)</translation>
    </message>
    <message>
      <source>Checking {name}…</source>
      <translation>Kontrollerar {name}…</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Stäng</translation>
    </message>
    <message>
      <source>File</source>
      <translation>Fil</translation>
    </message>
    <message>
      <source>Its schema was upgraded to {revision}.</source>
      <translation>Dess schema uppgraderades till {revision}.</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>Typ</translation>
    </message>
    <message>
      <source>Made</source>
      <translation>Skapad</translation>
    </message>
    <message>
      <source>Not restored: {why}</source>
      <translation>Inte återställd: {why}</translation>
    </message>
    <message>
      <source>Nothing was restored.</source>
      <translation>Inget återställdes.</translation>
    </message>
    <message>
      <source>Please wait: the engine is restarting.</source>
      <translation>Vänta: motorn startar om.</translation>
    </message>
    <message>
      <source>Replace the database with the selected backup</source>
      <translation>Ersätt databasen med den valda säkerhetskopian</translation>
    </message>
    <message>
      <source>Restore a backup</source>
      <translation>Återställ en säkerhetskopia</translation>
    </message>
    <message>
      <source>Restore and restart</source>
      <translation>Återställ och starta om</translation>
    </message>
    <message>
      <source>Restore from &amp;file…</source>
      <translation>Återställ från &amp;fil…</translation>
    </message>
    <message>
      <source>Restore from a backup file</source>
      <translation>Återställ från en fil med säkerhetskopia</translation>
    </message>
    <message>
      <source>Restored from {name}; the engine runs on it.</source>
      <translation>Återställd från {name}; motorn kör på den.</translation>
    </message>
    <message>
      <source>Restoring; the engine restarts…</source>
      <translation>Återställer; motorn startar om…</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>Storlek</translation>
    </message>
    <message>
      <source>The database as it was is kept as {kept}.</source>
      <translation>Databasen som den var sparas som {kept}.</translation>
    </message>
    <message>
      <source>This database is on PostgreSQL: back it up with the server's own tools (pg_dump, or your provider's snapshots). ChargeDesk backs up only its SQLite database.</source>
      <translation>Den här databasen ligger i PostgreSQL: säkerhetskopiera den med serverns egna verktyg (pg_dump eller leverantörens ögonblicksbilder). ChargeDesk säkerhetskopierar bara sin SQLite-databas.</translation>
    </message>
    <message>
      <source>backup</source>
      <translation>säkerhetskopia</translation>
    </message>
    <message>
      <source>before an upgrade</source>
      <translation>före en uppgradering</translation>
    </message>
    <message>
      <source>{check}.

Restore the database from {name}?

The engine restarts: chargers are disconnected for a moment and reconnect by themselves; messages they send meanwhile are kept by them and sent again. Everything stored since this backup was made is no longer shown, but nothing is deleted: the database as it is now is kept beside it as “{database}.before-restore-&lt;time&gt;”, and the backup file stays as it is.</source>
      <translation>{check}.

Återställa databasen från {name}?

Motorn startar om: laddarna kopplas från en kort stund och ansluter sedan av sig själva; meddelanden som de skickar under tiden sparas hos dem och skickas igen. Allt som sparats sedan säkerhetskopian gjordes visas inte längre, men inget raderas: databasen som den är nu sparas bredvid som ”{database}.before-restore-&lt;time&gt;”, och filen med säkerhetskopian lämnas orörd.</translation>
    </message>
    <message>
      <source>{n} MB</source>
      <translation>{n} MB</translation>
    </message>
    <message>
      <source>{n} kB</source>
      <translation>{n} kB</translation>
    </message>
  </context>
  <context>
    <name>ConfigurationTable</name>
    <message>
      <source>(not shown)</source>
      <translation>(visas inte)</translation>
    </message>
    <message>
      <source>Access</source>
      <translation>Åtkomst</translation>
    </message>
    <message>
      <source>Ask the station for all its settings.</source>
      <translation>Be stationen om alla dess inställningar.</translation>
    </message>
    <message>
      <source>Change</source>
      <translation>Ändra</translation>
    </message>
    <message>
      <source>Change a setting</source>
      <translation>Ändra en inställning</translation>
    </message>
    <message>
      <source>Change {key}</source>
      <translation>Ändra {key}</translation>
    </message>
    <message>
      <source>Change {key} on {station} from “{old}” to “{new}”?</source>
      <translation>Ändra {key} på {station} från “{old}” till “{new}”?</translation>
    </message>
    <message>
      <source>Double-click to change; the station is asked first.</source>
      <translation>Dubbelklicka för att ändra; stationen tillfrågas först.</translation>
    </message>
    <message>
      <source>Editable</source>
      <translation>Ändringsbar</translation>
    </message>
    <message>
      <source>Filter settings…</source>
      <translation>Filtrera inställningar…</translation>
    </message>
    <message>
      <source>Not read yet.</source>
      <translation>Inte läst ännu.</translation>
    </message>
    <message>
      <source>Read configuration</source>
      <translation>Läs konfiguration</translation>
    </message>
    <message>
      <source>Read from the station at {time}.</source>
      <translation>Läst från stationen {time}.</translation>
    </message>
    <message>
      <source>Read-only</source>
      <translation>Skrivskyddad</translation>
    </message>
    <message>
      <source>Restart needed</source>
      <translation>Omstart krävs</translation>
    </message>
    <message>
      <source>Setting</source>
      <translation>Inställning</translation>
    </message>
    <message>
      <source>Soft reset</source>
      <translation>Mjuk omstart</translation>
    </message>
    <message>
      <source>Soft reset now</source>
      <translation>Mjuk omstart nu</translation>
    </message>
    <message>
      <source>Stored copy from the last read.</source>
      <translation>Sparad kopia från senaste läsningen.</translation>
    </message>
    <message>
      <source>The station applies {keys} only after a restart.</source>
      <translation>Stationen tillämpar {keys} först efter en omstart.</translation>
    </message>
    <message>
      <source>The station does not allow this setting to be changed.</source>
      <translation>Stationen tillåter inte att den här inställningen ändras.</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>Värde</translation>
    </message>
    <message>
      <source>Waiting for the station's answer…</source>
      <translation>Väntar på svar från stationen…</translation>
    </message>
    <message>
      <source>{station} needs a restart to apply {keys}. Soft-reset it now? A running session is stopped first.</source>
      <translation>{station} behöver startas om för att tillämpa {keys}. Göra en mjuk omstart nu? En pågående laddsession stoppas först.</translation>
    </message>
  </context>
  <context>
    <name>CustomerDisplay</name>
    <message>
      <source>Amount to pay</source>
      <translation>Att betala</translation>
    </message>
    <message>
      <source>ChargeDesk — customer display</source>
      <translation>ChargeDesk — kundskärm</translation>
    </message>
    <message>
      <source>Charging — price so far</source>
      <translation>Laddar — pris hittills</translation>
    </message>
    <message>
      <source>Declined — try another card</source>
      <translation>Nekad — prova ett annat kort</translation>
    </message>
    <message>
      <source>Paid — thank you</source>
      <translation>Betalt — tack</translation>
    </message>
    <message>
      <source>Paying cash at the desk</source>
      <translation>Betalar kontant i kassan</translation>
    </message>
    <message>
      <source>Payment cancelled</source>
      <translation>Betalningen avbröts</translation>
    </message>
    <message>
      <source>Scan to pay</source>
      <translation>Skanna för att betala</translation>
    </message>
    <message>
      <source>Tap your card on the reader</source>
      <translation>Blippa kortet på kortläsaren</translation>
    </message>
    <message>
      <source>Tap your card to start charging</source>
      <translation>Blippa kortet för att börja ladda</translation>
    </message>
    <message>
      <source>The QR code expired — ask at the desk</source>
      <translation>QR-koden gick ut — fråga i kassan</translation>
    </message>
    <message>
      <source>Valid until {time}</source>
      <translation>Giltig till {time}</translation>
    </message>
    <message>
      <source>Welcome</source>
      <translation>Välkommen</translation>
    </message>
  </context>
  <context>
    <name>DeferredView</name>
    <message>
      <source>Loading…</source>
      <translation>Läser in…</translation>
    </message>
  </context>
  <context>
    <name>DriverForms</name>
    <message>
      <source>A UID has at most {max} characters (OCPP 1.6); this one has {n}.</source>
      <translation>Ett UID har högst {max} tecken (OCPP 1.6); detta har {n}.</translation>
    </message>
    <message>
      <source>A budget is zero or more.</source>
      <translation>En budget är noll eller mer.</translation>
    </message>
    <message>
      <source>A company or group of drivers. Access rules can be made for a whole fleet.</source>
      <translation>Ett företag eller en grupp förare. Åtkomstregler kan gälla en hel flotta.</translation>
    </message>
    <message>
      <source>A name is needed.</source>
      <translation>Ett namn behövs.</translation>
    </message>
    <message>
      <source>A tag cannot be its own group.</source>
      <translation>En tagg kan inte vara sin egen grupp.</translation>
    </message>
    <message>
      <source>A tag of {driver}. Chargers accept it until it expires or is blocked.</source>
      <translation>En tagg för {driver}. Laddstationerna godkänner den tills den upphör eller spärras.</translation>
    </message>
    <message>
      <source>Add access rule</source>
      <translation>Lägg till åtkomstregel</translation>
    </message>
    <message>
      <source>Add driver</source>
      <translation>Lägg till förare</translation>
    </message>
    <message>
      <source>Add fleet</source>
      <translation>Lägg till flotta</translation>
    </message>
    <message>
      <source>Add rule</source>
      <translation>Lägg till regel</translation>
    </message>
    <message>
      <source>Add tag</source>
      <translation>Lägg till tagg</translation>
    </message>
    <message>
      <source>Anywhere</source>
      <translation>Överallt</translation>
    </message>
    <message>
      <source>At most {n} characters.</source>
      <translation>Högst {n} tecken.</translation>
    </message>
    <message>
      <source>Chargers refuse the tag from this moment (site time).</source>
      <translation>Laddstationerna nekar taggen från den tidpunkten (platsens tid).</translation>
    </message>
    <message>
      <source>Checking whether the tag is free…</source>
      <translation>Kontrollerar om taggen är ledig…</translation>
    </message>
    <message>
      <source>Choose at least one day.</source>
      <translation>Välj minst en dag.</translation>
    </message>
    <message>
      <source>Choose one site or one station, or anywhere.</source>
      <translation>Välj en plats eller en laddstation, eller överallt.</translation>
    </message>
    <message>
      <source>Choose the fleet this rule is for.</source>
      <translation>Välj vilken flotta regeln gäller.</translation>
    </message>
    <message>
      <source>Close without saving? What you typed here will be lost.</source>
      <translation>Stäng utan att spara? Det du skrivit här går förlorat.</translation>
    </message>
    <message>
      <source>Days:</source>
      <translation>Dagar:</translation>
    </message>
    <message>
      <source>Discard changes</source>
      <translation>Släng ändringarna</translation>
    </message>
    <message>
      <source>Drivers without a fleet and the public</source>
      <translation>Förare utan flotta och allmänheten</translation>
    </message>
    <message>
      <source>Edit access rule</source>
      <translation>Redigera åtkomstregel</translation>
    </message>
    <message>
      <source>Edit fleet {name}</source>
      <translation>Redigera flottan {name}</translation>
    </message>
    <message>
      <source>Edit tag {uid}</source>
      <translation>Redigera taggen {uid}</translation>
    </message>
    <message>
      <source>Edit {name}</source>
      <translation>Redigera {name}</translation>
    </message>
    <message>
      <source>Email:</source>
      <translation>E-post:</translation>
    </message>
    <message>
      <source>Ends the next morning; the night belongs to the day it starts.</source>
      <translation>Slutar nästa morgon; natten hör till dagen den börjar.</translation>
    </message>
    <message>
      <source>Enter the tag's UID, as printed on the card or read by the reader.</source>
      <translation>Ange taggens UID, som det står på kortet eller läses av läsaren.</translation>
    </message>
    <message>
      <source>Every day</source>
      <translation>Alla dagar</translation>
    </message>
    <message>
      <source>Everyone</source>
      <translation>Alla</translation>
    </message>
    <message>
      <source>Expires at</source>
      <translation>Upphör</translation>
    </message>
    <message>
      <source>First tag:</source>
      <translation>Första tagg:</translation>
    </message>
    <message>
      <source>Fleet {name}</source>
      <translation>Flottan {name}</translation>
    </message>
    <message>
      <source>Fleet:</source>
      <translation>Flotta:</translation>
    </message>
    <message>
      <source>From 1 to {n}. To stop a tag charging, block it.</source>
      <translation>Från 1 till {n}. Spärra taggen för att stoppa den från att ladda.</translation>
    </message>
    <message>
      <source>Group tag:</source>
      <translation>Grupptagg:</translation>
    </message>
    <message>
      <source>Hours:</source>
      <translation>Tider:</translation>
    </message>
    <message>
      <source>In words:</source>
      <translation>I ord:</translation>
    </message>
    <message>
      <source>Monthly budget:</source>
      <translation>Månadsbudget:</translation>
    </message>
    <message>
      <source>Mon–Fri</source>
      <translation>mån–fre</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>Namn:</translation>
    </message>
    <message>
      <source>No fleet</source>
      <translation>Ingen flotta</translation>
    </message>
    <message>
      <source>Nobody, on no day.</source>
      <translation>Ingen, ingen dag.</translation>
    </message>
    <message>
      <source>Not a phone number: digits, spaces and + - ( ) only, at least 5 digits.</source>
      <translation>Inget telefonnummer: bara siffror, mellanslag och + - ( ), minst 5 siffror.</translation>
    </message>
    <message>
      <source>Not a tag UID: at most 20 characters, no spaces inside.</source>
      <translation>Inget tagg-UID: högst 20 tecken, inga mellanslag inuti.</translation>
    </message>
    <message>
      <source>Not a tag UID: no spaces inside it (write hex bytes like 04A2B3C4 or 04:A2:B3:C4).</source>
      <translation>Inget tagg-UID: inga mellanslag inuti (skriv hexbyte som 04A2B3C4 eller 04:A2:B3:C4).</translation>
    </message>
    <message>
      <source>Not an email address: write it like name@example.com.</source>
      <translation>Ingen e-postadress: skriv den som namn@exempel.se.</translation>
    </message>
    <message>
      <source>Not saved: {reason}</source>
      <translation>Inte sparat: {reason}</translation>
    </message>
    <message>
      <source>Note:</source>
      <translation>Anteckning:</translation>
    </message>
    <message>
      <source>Notes:</source>
      <translation>Anteckningar:</translation>
    </message>
    <message>
      <source>Once any rule exists, a tag may charge only where and when some rule allows it. Times are the site's local time.</source>
      <translation>Så snart det finns en regel får en tagg bara ladda där och när någon regel tillåter det. Tiderna är platsens lokala tid.</translation>
    </message>
    <message>
      <source>Phone:</source>
      <translation>Telefon:</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Spara</translation>
    </message>
    <message>
      <source>Sessions at once:</source>
      <translation>Samtidiga laddningar:</translation>
    </message>
    <message>
      <source>Site {name}</source>
      <translation>Platsen {name}</translation>
    </message>
    <message>
      <source>Station {id}</source>
      <translation>Laddstationen {id}</translation>
    </message>
    <message>
      <source>Stored as {uid}.</source>
      <translation>Sparas som {uid}.</translation>
    </message>
    <message>
      <source>Tag UID:</source>
      <translation>Tagg-UID:</translation>
    </message>
    <message>
      <source>The same time twice: the whole day.</source>
      <translation>Samma tid två gånger: hela dygnet.</translation>
    </message>
    <message>
      <source>There is a fleet called {name} already.</source>
      <translation>Det finns redan en flotta som heter {name}.</translation>
    </message>
    <message>
      <source>This moment has passed: a new tag must expire in the future.</source>
      <translation>Den tidpunkten har passerat: en ny tagg måste upphöra i framtiden.</translation>
    </message>
    <message>
      <source>This moment has passed: chargers refuse the tag as expired.</source>
      <translation>Den tidpunkten har passerat: laddstationerna nekar taggen som utgången.</translation>
    </message>
    <message>
      <source>Times are whole minutes of the site's local time.</source>
      <translation>Tiderna är hela minuter i platsens lokala tid.</translation>
    </message>
    <message>
      <source>Validity:</source>
      <translation>Giltighet:</translation>
    </message>
    <message>
      <source>Where:</source>
      <translation>Var:</translation>
    </message>
    <message>
      <source>Who:</source>
      <translation>Vem:</translation>
    </message>
    <message>
      <source>e.g. 04A2B3C4 or 04:A2:B3:C4</source>
      <translation>t.ex. 04A2B3C4 eller 04:A2:B3:C4</translation>
    </message>
    <message>
      <source>empty: no budget</source>
      <translation>tomt: ingen budget</translation>
    </message>
    <message>
      <source>from</source>
      <translation>från</translation>
    </message>
    <message>
      <source>optional</source>
      <translation>valfritt</translation>
    </message>
    <message>
      <source>optional: name@example.com</source>
      <translation>valfritt: namn@exempel.se</translation>
    </message>
    <message>
      <source>optional: the UID of the group's tag</source>
      <translation>valfritt: UID för gruppens tagg</translation>
    </message>
    <message>
      <source>optional: the UID of their card, e.g. 04A2B3C4</source>
      <translation>valfritt: UID för förarens kort, t.ex. 04A2B3C4</translation>
    </message>
    <message>
      <source>optional: why this rule exists</source>
      <translation>valfritt: varför regeln finns</translation>
    </message>
    <message>
      <source>until</source>
      <translation>till</translation>
    </message>
    <message>
      <source>{uid} is registered already (a tag without a driver).</source>
      <translation>{uid} är redan registrerad (en tagg utan förare).</translation>
    </message>
    <message>
      <source>{uid} is registered already, to {driver}.</source>
      <translation>{uid} är redan registrerad, på {driver}.</translation>
    </message>
  </context>
  <context>
    <name>DriverHistory</name>
    <message>
      <source>&amp;Statement…</source>
      <translation>&amp;Laddningsbesked…</translation>
    </message>
    <message>
      <source>All sessions</source>
      <translation>Alla laddningar</translation>
    </message>
    <message>
      <source>Budget this month</source>
      <translation>Budget denna månad</translation>
    </message>
    <message>
      <source>CSV for spreadsheets in Swedish, semicolon-separated (*.csv)</source>
      <translation>CSV för kalkylprogram på svenska, semikolonseparerad (*.csv)</translation>
    </message>
    <message>
      <source>CSV, comma-separated (*.csv)</source>
      <translation>CSV, kommaseparerad (*.csv)</translation>
    </message>
    <message>
      <source>Choose a driver to see their charging sessions.</source>
      <translation>Välj en förare för att se förarens laddningar.</translation>
    </message>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Cost</source>
      <translation>Kostnad</translation>
    </message>
    <message>
      <source>Custom range</source>
      <translation>Valfri period</translation>
    </message>
    <message>
      <source>Driver:</source>
      <translation>Förare:</translation>
    </message>
    <message>
      <source>Duration (h:mm)</source>
      <translation>Tid (h:mm)</translation>
    </message>
    <message>
      <source>E&amp;xport CSV…</source>
      <translation>E&amp;xportera CSV…</translation>
    </message>
    <message>
      <source>Energy (kWh)</source>
      <translation>Energi (kWh)</translation>
    </message>
    <message>
      <source>Energy from the plan's included kWh, not charged per kWh.</source>
      <translation>Energi ur abonnemangets inkluderade kWh, debiteras inte per kWh.</translation>
    </message>
    <message>
      <source>Export sessions</source>
      <translation>Exportera laddningar</translation>
    </message>
    <message>
      <source>Included (kWh)</source>
      <translation>Ingår (kWh)</translation>
    </message>
    <message>
      <source>It is provisional: a session was still charging.</source>
      <translation>Det är preliminärt: en laddning pågick fortfarande.</translation>
    </message>
    <message>
      <source>Last month</source>
      <translation>Förra månaden</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>Månad</translation>
    </message>
    <message>
      <source>Month:</source>
      <translation>Månad:</translation>
    </message>
    <message>
      <source>No monthly budget: set one for the driver or their fleet under Drivers &amp; tags.</source>
      <translation>Ingen månadsbudget: ange en för föraren eller förarens fordonsflotta under Förare och taggar.</translation>
    </message>
    <message>
      <source>No sessions in this period.</source>
      <translation>Inga laddningar under perioden.</translation>
    </message>
    <message>
      <source>No tariff applied to this session, so it has no price.</source>
      <translation>Ingen taxa gällde för laddningen, så den har inget pris.</translation>
    </message>
    <message>
      <source>Of which VAT</source>
      <translation>Varav moms</translation>
    </message>
    <message>
      <source>PDF documents (*.pdf)</source>
      <translation>PDF-dokument (*.pdf)</translation>
    </message>
    <message>
      <source>Period:</source>
      <translation>Period:</translation>
    </message>
    <message>
      <source>Save &amp;CSV…</source>
      <translation>Spara &amp;CSV…</translation>
    </message>
    <message>
      <source>Save &amp;PDF…</source>
      <translation>Spara &amp;PDF…</translation>
    </message>
    <message>
      <source>Save a month's statement (sessions, fees, VAT) as PDF or CSV</source>
      <translation>Spara en månads laddningsbesked (laddningar, avgifter, moms) som PDF eller CSV</translation>
    </message>
    <message>
      <source>Save statement as CSV</source>
      <translation>Spara laddningsbesked som CSV</translation>
    </message>
    <message>
      <source>Save statement as PDF</source>
      <translation>Spara laddningsbesked som PDF</translation>
    </message>
    <message>
      <source>Save the sessions shown to a CSV file</source>
      <translation>Spara de visade laddningarna i en CSV-fil</translation>
    </message>
    <message>
      <source>Saved the statement for {month} to {path}.</source>
      <translation>Laddningsbeskedet för {month} är sparat i {path}.</translation>
    </message>
    <message>
      <source>Sessions</source>
      <translation>Laddningar</translation>
    </message>
    <message>
      <source>Sessions saved to {path}: {n}.</source>
      <translation>Laddningar sparade i {path}: {n}.</translation>
    </message>
    <message>
      <source>Sessions: {n} · {kwh} kWh · {cost}</source>
      <translation>Laddningar: {n} · {kwh} kWh · {cost}</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>Start</translation>
    </message>
    <message>
      <source>Statement for {driver}</source>
      <translation>Laddningsbesked för {driver}</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Laddstation</translation>
    </message>
    <message>
      <source>Still charging: the price so far, as if it stopped now.</source>
      <translation>Laddar fortfarande: priset hittills, som om laddningen avslutades nu.</translation>
    </message>
    <message>
      <source>Tariff</source>
      <translation>Taxa</translation>
    </message>
    <message>
      <source>That driver is no longer registered.</source>
      <translation>Den föraren finns inte längre registrerad.</translation>
    </message>
    <message>
      <source>The file could not be written: {reason}</source>
      <translation>Filen kunde inte skrivas: {reason}</translation>
    </message>
    <message>
      <source>The fleet {fleet}'s budget for {month}, shared by all its drivers: what they spent together.</source>
      <translation>Budget för fordonsflottan {fleet} för {month}, delad av alla dess förare: vad de har använt tillsammans.</translation>
    </message>
    <message>
      <source>The last 12 months</source>
      <translation>De senaste 12 månaderna</translation>
    </message>
    <message>
      <source>The month's sessions with their prices, the subscription fees and the VAT, as the driver would receive it. A month still under way is marked provisional.</source>
      <translation>Månadens laddningar med sina priser, abonnemangsavgifterna och momsen, så som föraren skulle få det. En månad som pågår märks som preliminär.</translation>
    </message>
    <message>
      <source>The period cannot end before it starts.</source>
      <translation>Perioden kan inte sluta innan den börjar.</translation>
    </message>
    <message>
      <source>This month</source>
      <translation>Denna månad</translation>
    </message>
    <message>
      <source>Type part of a name or fleet…</source>
      <translation>Skriv en del av ett namn eller en fordonsflotta…</translation>
    </message>
    <message>
      <source>all</source>
      <translation>alla</translation>
    </message>
    <message>
      <source>kWh</source>
      <translation>kWh</translation>
    </message>
    <message>
      <source>no price</source>
      <translation>inget pris</translation>
    </message>
    <message>
      <source>only the newest {n} are shown</source>
      <translation>bara de {n} senaste visas</translation>
    </message>
    <message>
      <source>sessions</source>
      <translation>laddningar</translation>
    </message>
    <message>
      <source>statement</source>
      <translation>laddningsbesked</translation>
    </message>
    <message>
      <source>to</source>
      <translation>till</translation>
    </message>
    <message>
      <source>{amount} + {n} without price</source>
      <translation>{amount} + {n} utan pris</translation>
    </message>
    <message>
      <source>{amount} left this month.</source>
      <translation>{amount} kvar denna månad.</translation>
    </message>
    <message>
      <source>{amount} over the budget.</source>
      <translation>{amount} över budget.</translation>
    </message>
    <message>
      <source>{amount} · live</source>
      <translation>{amount} · pågår</translation>
    </message>
    <message>
      <source>{driver} (inactive)</source>
      <translation>{driver} (inaktiv)</translation>
    </message>
    <message>
      <source>{driver}'s own budget for {month}.</source>
      <translation>Egen budget för {driver} för {month}.</translation>
    </message>
    <message>
      <source>{n} charging now, at the price so far</source>
      <translation>{n} laddar nu, till priset hittills</translation>
    </message>
    <message>
      <source>{n} still charging, at the price so far</source>
      <translation>{n} laddar fortfarande, till priset hittills</translation>
    </message>
    <message>
      <source>{n} without a price (no tariff)</source>
      <translation>{n} utan pris (ingen taxa)</translation>
    </message>
    <message>
      <source>{spent} of {budget}</source>
      <translation>{spent} av {budget}</translation>
    </message>
    <message>
      <source>{spent} of {budget} ({percent} %)</source>
      <translation>{spent} av {budget} ({percent} %)</translation>
    </message>
    <message>
      <source>{time} so far</source>
      <translation>{time} hittills</translation>
    </message>
  </context>
  <context>
    <name>Drivers</name>
    <message>
      <source>&amp;Add tag…</source>
      <translation>&amp;Lägg till tagg…</translation>
    </message>
    <message>
      <source>&amp;Block…</source>
      <translation>&amp;Spärra…</translation>
    </message>
    <message>
      <source>&amp;Deactivate…</source>
      <translation>&amp;Inaktivera…</translation>
    </message>
    <message>
      <source>&amp;Edit driver…</source>
      <translation>&amp;Redigera förare…</translation>
    </message>
    <message>
      <source>&amp;Edit fleet…</source>
      <translation>&amp;Redigera flotta…</translation>
    </message>
    <message>
      <source>&amp;Edit rule…</source>
      <translation>&amp;Redigera regel…</translation>
    </message>
    <message>
      <source>&amp;History</source>
      <translation>&amp;Historik</translation>
    </message>
    <message>
      <source>&amp;Import…</source>
      <translation>&amp;Importera…</translation>
    </message>
    <message>
      <source>&amp;Remove fleet…</source>
      <translation>&amp;Ta bort flotta…</translation>
    </message>
    <message>
      <source>&amp;Unblock</source>
      <translation>&amp;Häv spärr</translation>
    </message>
    <message>
      <source>&lt;b&gt;No access rules: every valid tag may charge at every station, at any time.&lt;/b&gt; Add a rule to limit who may charge where and when; once there is one, a tag may charge only where and when some rule allows it.</source>
      <translation>&lt;b&gt;Inga åtkomstregler: varje giltig tagg får ladda vid alla laddstationer, när som helst.&lt;/b&gt; Lägg till en regel för att begränsa vem som får ladda var och när; så snart det finns en regel får en tagg bara ladda där och när någon regel tillåter det.</translation>
    </message>
    <message>
      <source>A fleet is a company or group of drivers. Access rules and tariffs can be made for a whole fleet. Double-click a fleet to see its drivers.</source>
      <translation>En flotta är ett företag eller en grupp förare. Åtkomstregler och taxor kan gälla en hel flotta. Dubbelklicka på en flotta för att se dess förare.</translation>
    </message>
    <message>
      <source>A tag may charge only where and when at least one of these rules allows it (times are the site's local time). Other tags are refused as Invalid.</source>
      <translation>En tagg får bara ladda där och när minst en av dessa regler tillåter det (tiderna är platsens lokala tid). Andra taggar nekas som ogiltiga.</translation>
    </message>
    <message>
      <source>A&amp;ctivate</source>
      <translation>A&amp;ktivera</translation>
    </message>
    <message>
      <source>Access &amp;settings…</source>
      <translation>&amp;Åtkomstinställningar…</translation>
    </message>
    <message>
      <source>Access rule removed.</source>
      <translation>Åtkomstregeln är borttagen.</translation>
    </message>
    <message>
      <source>Access rule saved.</source>
      <translation>Åtkomstregeln är sparad.</translation>
    </message>
    <message>
      <source>Access rules</source>
      <translation>Åtkomstregler</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>Aktiv</translation>
    </message>
    <message>
      <source>Add &amp;driver…</source>
      <translation>Lägg till &amp;förare…</translation>
    </message>
    <message>
      <source>Add &amp;fleet…</source>
      <translation>Lägg till &amp;flotta…</translation>
    </message>
    <message>
      <source>Add &amp;rule…</source>
      <translation>Lägg till &amp;regel…</translation>
    </message>
    <message>
      <source>All fleets</source>
      <translation>Alla flottor</translation>
    </message>
    <message>
      <source>Block tag</source>
      <translation>Spärra tagg</translation>
    </message>
    <message>
      <source>Block tag {uid}? Chargers will refuse it from now on.</source>
      <translation>Spärra taggen {uid}? Laddstationerna nekar den från och med nu.</translation>
    </message>
    <message>
      <source>Days</source>
      <translation>Dagar</translation>
    </message>
    <message>
      <source>Deactivate</source>
      <translation>Inaktivera</translation>
    </message>
    <message>
      <source>Deactivate driver</source>
      <translation>Inaktivera förare</translation>
    </message>
    <message>
      <source>Deactivate {name}? Chargers will refuse all of their tags ({n}) until they are activated again.</source>
      <translation>Inaktivera {name}? Laddstationerna nekar alla förarens taggar ({n}) tills föraren aktiveras igen.</translation>
    </message>
    <message>
      <source>Drivers</source>
      <translation>Förare</translation>
    </message>
    <message>
      <source>Drivers: {n}.</source>
      <translation>Förare: {n}.</translation>
    </message>
    <message>
      <source>E&amp;xport…</source>
      <translation>E&amp;xportera…</translation>
    </message>
    <message>
      <source>Edit ta&amp;g…</source>
      <translation>Redigera ta&amp;gg…</translation>
    </message>
    <message>
      <source>Email:</source>
      <translation>E-post:</translation>
    </message>
    <message>
      <source>Expires</source>
      <translation>Upphör</translation>
    </message>
    <message>
      <source>Fleet</source>
      <translation>Flotta</translation>
    </message>
    <message>
      <source>Fleet {name} added.</source>
      <translation>Flottan {name} är tillagd.</translation>
    </message>
    <message>
      <source>Fleet {name} removed.</source>
      <translation>Flottan {name} är borttagen.</translation>
    </message>
    <message>
      <source>Fleet {name} saved.</source>
      <translation>Flottan {name} är sparad.</translation>
    </message>
    <message>
      <source>Fleet:</source>
      <translation>Flotta:</translation>
    </message>
    <message>
      <source>Fleets</source>
      <translation>Flottor</translation>
    </message>
    <message>
      <source>Group tag</source>
      <translation>Grupptagg</translation>
    </message>
    <message>
      <source>Hours</source>
      <translation>Tider</translation>
    </message>
    <message>
      <source>Import tags and drivers from a CSV file</source>
      <translation>Importera taggar och förare från en CSV-fil</translation>
    </message>
    <message>
      <source>In words</source>
      <translation>I ord</translation>
    </message>
    <message>
      <source>Inactive drivers are hidden.</source>
      <translation>Inaktiva förare visas inte.</translation>
    </message>
    <message>
      <source>Inactive: chargers refuse all of their tags</source>
      <translation>Inaktiv: laddstationerna nekar alla förarens taggar</translation>
    </message>
    <message>
      <source>It is the group tag of {n} other tags; they are refused with it.</source>
      <translation>Den är grupptagg för {n} andra taggar; de nekas tillsammans med den.</translation>
    </message>
    <message>
      <source>It is the last rule: without rules every valid tag may charge anywhere, at any time.</source>
      <translation>Det är den sista regeln: utan regler får varje giltig tagg ladda överallt, när som helst.</translation>
    </message>
    <message>
      <source>Matching drivers: {n}.</source>
      <translation>Förare som matchar: {n}.</translation>
    </message>
    <message>
      <source>Monthly budget</source>
      <translation>Månadsbudget</translation>
    </message>
    <message>
      <source>Monthly budget:</source>
      <translation>Månadsbudget:</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>Namn</translation>
    </message>
    <message>
      <source>No</source>
      <translation>Nej</translation>
    </message>
    <message>
      <source>No fleet</source>
      <translation>Ingen flotta</translation>
    </message>
    <message>
      <source>No fleets yet. Drivers can be without a fleet.</source>
      <translation>Inga flottor ännu. Förare kan vara utan flotta.</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Anteckning</translation>
    </message>
    <message>
      <source>Notes:</source>
      <translation>Anteckningar:</translation>
    </message>
    <message>
      <source>Phone:</source>
      <translation>Telefon:</translation>
    </message>
    <message>
      <source>Re&amp;move rule…</source>
      <translation>Ta &amp;bort regel…</translation>
    </message>
    <message>
      <source>Remo&amp;ve tag…</source>
      <translation>Ta &amp;bort tagg…</translation>
    </message>
    <message>
      <source>Remove access rule</source>
      <translation>Ta bort åtkomstregel</translation>
    </message>
    <message>
      <source>Remove fleet</source>
      <translation>Ta bort flotta</translation>
    </message>
    <message>
      <source>Remove fleet {name}? Its drivers ({drivers}) stay, without a fleet; the rules for drivers without a fleet then apply to them. Access rules for this fleet that go with it: {rules}.</source>
      <translation>Ta bort flottan {name}? Dess förare ({drivers}) finns kvar, utan flotta; reglerna för förare utan flotta gäller då för dem. Åtkomstregler för flottan som tas bort med den: {rules}.</translation>
    </message>
    <message>
      <source>Remove rule</source>
      <translation>Ta bort regel</translation>
    </message>
    <message>
      <source>Remove tag</source>
      <translation>Ta bort tagg</translation>
    </message>
    <message>
      <source>Remove tag {uid} from {name}? Chargers will refuse it; past sessions keep it in their records. To stop it for a while instead, block it.</source>
      <translation>Ta bort taggen {uid} från {name}? Laddstationerna nekar den; tidigare laddningar behåller den i sina uppgifter. Spärra den i stället om den bara ska stoppas en tid.</translation>
    </message>
    <message>
      <source>Remove this rule?

{rule}</source>
      <translation>Ta bort den här regeln?

{rule}</translation>
    </message>
    <message>
      <source>Save every tag with its driver to a CSV file</source>
      <translation>Spara alla taggar med sina förare i en CSV-fil</translation>
    </message>
    <message>
      <source>Search name, email, phone, fleet or tag UID</source>
      <translation>Sök namn, e-post, telefon, flotta eller tagg-UID</translation>
    </message>
    <message>
      <source>Select a driver to see their details and tags.</source>
      <translation>Välj en förare för att se uppgifter och taggar.</translation>
    </message>
    <message>
      <source>Select a fleet first</source>
      <translation>Välj en flotta först</translation>
    </message>
    <message>
      <source>Select a rule first</source>
      <translation>Välj en regel först</translation>
    </message>
    <message>
      <source>Select a tag first</source>
      <translation>Välj en tagg först</translation>
    </message>
    <message>
      <source>Sessions at once</source>
      <translation>Samtidiga</translation>
    </message>
    <message>
      <source>Sessions in progress now: {n}.</source>
      <translation>Pågående laddningar just nu: {n}.</translation>
    </message>
    <message>
      <source>Sessions in progress with a refused tag are stopped at once.</source>
      <translation>Pågående laddningar med en nekad tagg stoppas genast.</translation>
    </message>
    <message>
      <source>Sessions in progress with a refused tag may finish; chargers refuse the next start (setting stop_on_block is off).</source>
      <translation>Pågående laddningar med en nekad tagg får slutföras; laddstationerna nekar nästa start (inställningen stop_on_block är av).</translation>
    </message>
    <message>
      <source>Show inactive</source>
      <translation>Visa inaktiva</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>Tag UID</source>
      <translation>Tagg-UID</translation>
    </message>
    <message>
      <source>Tag {uid} added.</source>
      <translation>Taggen {uid} är tillagd.</translation>
    </message>
    <message>
      <source>Tag {uid} blocked.</source>
      <translation>Taggen {uid} är spärrad.</translation>
    </message>
    <message>
      <source>Tag {uid} removed.</source>
      <translation>Taggen {uid} är borttagen.</translation>
    </message>
    <message>
      <source>Tag {uid} saved.</source>
      <translation>Taggen {uid} är sparad.</translation>
    </message>
    <message>
      <source>Tag {uid} unblocked: chargers accept it again.</source>
      <translation>Spärren för taggen {uid} är hävd: laddstationerna godkänner den igen.</translation>
    </message>
    <message>
      <source>Tags</source>
      <translation>Taggar</translation>
    </message>
    <message>
      <source>Tags ({n})</source>
      <translation>Taggar ({n})</translation>
    </message>
    <message>
      <source>The driver's charging history comes with the Driver history screen.</source>
      <translation>Förarens laddhistorik kommer med vyn Förarhistorik.</translation>
    </message>
    <message>
      <source>This driver's charging sessions</source>
      <translation>Förarens laddningar</translation>
    </message>
    <message>
      <source>What chargers are told about unknown and blocked tags, and the sites' time zone</source>
      <translation>Vad laddstationerna får veta om okända och spärrade taggar, och platsernas tidszon</translation>
    </message>
    <message>
      <source>Where</source>
      <translation>Var</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>Vem</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>Ja</translation>
    </message>
    <message>
      <source>never</source>
      <translation>aldrig</translation>
    </message>
    <message>
      <source>no tags</source>
      <translation>inga taggar</translation>
    </message>
    <message>
      <source>not given</source>
      <translation>inte angivet</translation>
    </message>
    <message>
      <source>{name} added.</source>
      <translation>{name} är tillagd.</translation>
    </message>
    <message>
      <source>{name} deactivated.</source>
      <translation>{name} är inaktiverad.</translation>
    </message>
    <message>
      <source>{name} is active again; their tags are accepted.</source>
      <translation>{name} är aktiv igen; förarens taggar godkänns.</translation>
    </message>
    <message>
      <source>{name} saved.</source>
      <translation>{name} är sparad.</translation>
    </message>
  </context>
  <context>
    <name>EventLog</name>
    <message>
      <source>All kinds</source>
      <translation>Alla typer</translation>
    </message>
    <message>
      <source>All severities</source>
      <translation>Alla allvarlighetsgrader</translation>
    </message>
    <message>
      <source>All stations</source>
      <translation>Alla stationer</translation>
    </message>
    <message>
      <source>Could not read the event log: {why}</source>
      <translation>Det gick inte att läsa händelseloggen: {why}</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>Typ</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>Meddelande</translation>
    </message>
    <message>
      <source>No entries match</source>
      <translation>Inga poster matchar</translation>
    </message>
    <message>
      <source>Older ▶</source>
      <translation>Äldre ▶</translation>
    </message>
    <message>
      <source>Page {page} of {pages} · {total} entries</source>
      <translation>Sida {page} av {pages} · {total} poster</translation>
    </message>
    <message>
      <source>Search messages, stations, kinds…</source>
      <translation>Sök meddelanden, stationer, typer…</translation>
    </message>
    <message>
      <source>Severity</source>
      <translation>Allvarlighetsgrad</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Tid</translation>
    </message>
    <message>
      <source>◀ Newer</source>
      <translation>◀ Nyare</translation>
    </message>
  </context>
  <context>
    <name>FileTransferDialog</name>
    <message>
      <source>Download from</source>
      <translation>Hämta från</translation>
    </message>
    <message>
      <source>Get diagnostics from {station}</source>
      <translation>Hämta diagnostik från {station}</translation>
    </message>
    <message>
      <source>Not before (local time)</source>
      <translation>Tidigast (lokal tid)</translation>
    </message>
    <message>
      <source>Request upload</source>
      <translation>Begär uppladdning</translation>
    </message>
    <message>
      <source>Schedule update</source>
      <translation>Schemalägg uppdatering</translation>
    </message>
    <message>
      <source>The station downloads the firmware at the chosen time and installs it when no session is running; it restarts to do so. Current version: {v}.</source>
      <translation>Stationen hämtar firmwaren vid den valda tiden och installerar den när ingen laddsession pågår; den startar om för att göra det. Nuvarande version: {v}.</translation>
    </message>
    <message>
      <source>The station uploads its diagnostics file to this address; progress appears under Recent events.</source>
      <translation>Stationen laddar upp sin diagnostikfil till den här adressen; förloppet visas under Senaste händelser.</translation>
    </message>
    <message>
      <source>Update firmware of {station}</source>
      <translation>Uppdatera firmware på {station}</translation>
    </message>
    <message>
      <source>Upload to</source>
      <translation>Ladda upp till</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>okänd</translation>
    </message>
  </context>
  <context>
    <name>Graphs</name>
    <message>
      <source>1 h</source>
      <translation>1 h</translation>
    </message>
    <message>
      <source>24 h</source>
      <translation>24 h</translation>
    </message>
    <message>
      <source>30 d</source>
      <translation>30 d</translation>
    </message>
    <message>
      <source>7 d</source>
      <translation>7 d</translation>
    </message>
    <message>
      <source>&lt;b&gt;{now} kW&lt;/b&gt; now · peak {peak} kW in this period</source>
      <translation>&lt;b&gt;{now} kW&lt;/b&gt; nu · topp {peak} kW under perioden</translation>
    </message>
    <message>
      <source>&lt;b&gt;{n}&lt;/b&gt; of {total} in use now</source>
      <translation>&lt;b&gt;{n}&lt;/b&gt; av {total} används nu</translation>
    </message>
    <message>
      <source>&lt;b&gt;{today} kWh&lt;/b&gt; today · {total} kWh in {days} days</source>
      <translation>&lt;b&gt;{today} kWh&lt;/b&gt; i dag · {total} kWh på {days} dagar</translation>
    </message>
    <message>
      <source>Back to live</source>
      <translation>Tillbaka till live</translation>
    </message>
    <message>
      <source>CSV table (*.csv)</source>
      <translation>CSV-tabell (*.csv)</translation>
    </message>
    <message>
      <source>Connectors in use</source>
      <translation>Uttag som används</translation>
    </message>
    <message>
      <source>Energy delivered per day</source>
      <translation>Levererad energi per dag</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>Exportera</translation>
    </message>
    <message>
      <source>History could not be loaded: {reason}</source>
      <translation>Historiken kunde inte läsas in: {reason}</translation>
    </message>
    <message>
      <source>Loading history…</source>
      <translation>Läser in historik…</translation>
    </message>
    <message>
      <source>No power was measured in this period</source>
      <translation>Ingen effekt uppmättes under perioden</translation>
    </message>
    <message>
      <source>PNG image (*.png)</source>
      <translation>PNG-bild (*.png)</translation>
    </message>
    <message>
      <source>Period:</source>
      <translation>Period:</translation>
    </message>
    <message>
      <source>Power per station</source>
      <translation>Effekt per station</translation>
    </message>
    <message>
      <source>Save as CSV table…</source>
      <translation>Spara som CSV-tabell…</translation>
    </message>
    <message>
      <source>Save as PNG image…</source>
      <translation>Spara som PNG-bild…</translation>
    </message>
    <message>
      <source>Save graph as image</source>
      <translation>Spara grafen som bild</translation>
    </message>
    <message>
      <source>Save graph data</source>
      <translation>Spara grafens data</translation>
    </message>
    <message>
      <source>Scroll with the clock again</source>
      <translation>Följ klockan igen</translation>
    </message>
    <message>
      <source>Show the last {period}</source>
      <translation>Visa senaste {period}</translation>
    </message>
    <message>
      <source>Site power</source>
      <translation>Anläggningens effekt</translation>
    </message>
    <message>
      <source>The graphs scroll with the clock and update as data arrives</source>
      <translation>Graferna följer klockan och uppdateras när data kommer in</translation>
    </message>
    <message>
      <source>Tick the stations to draw</source>
      <translation>Markera stationerna som ska ritas</translation>
    </message>
    <message>
      <source>{shown} of {total} stations shown</source>
      <translation>{shown} av {total} stationer visas</translation>
    </message>
    <message>
      <source>● Live</source>
      <translation>● Live</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;About ChargeDesk</source>
      <translation>&amp;Om ChargeDesk</translation>
    </message>
    <message>
      <source>&amp;Access settings…</source>
      <translation>Å&amp;tkomstinställningar…</translation>
    </message>
    <message>
      <source>&amp;Backups…</source>
      <translation>Säkerhets&amp;kopior…</translation>
    </message>
    <message>
      <source>&amp;Customer display</source>
      <translation>&amp;Kundskärm</translation>
    </message>
    <message>
      <source>&amp;End of day (Z-report)…</source>
      <translation>Dagsavslut (&amp;Z-rapport)…</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>&amp;Arkiv</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>&amp;Hjälp</translation>
    </message>
    <message>
      <source>&amp;Operators…</source>
      <translation>&amp;Operatörer…</translation>
    </message>
    <message>
      <source>&amp;Payment settings…</source>
      <translation>&amp;Betalningsinställningar…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>&amp;Avsluta</translation>
    </message>
    <message>
      <source>&amp;Switch user…</source>
      <translation>&amp;Byt användare…</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>&amp;Visa</translation>
    </message>
    <message>
      <source>About ChargeDesk</source>
      <translation>Om ChargeDesk</translation>
    </message>
    <message>
      <source>Alarms</source>
      <translation>Larm</translation>
    </message>
    <message>
      <source>Au&amp;dit log…</source>
      <translation>&amp;Granskningslogg…</translation>
    </message>
    <message>
      <source>Backup restored</source>
      <translation>Säkerhetskopian är återställd</translation>
    </message>
    <message>
      <source>C&amp;hange my password…</source>
      <translation>Ä&amp;ndra mitt lösenord…</translation>
    </message>
    <message>
      <source>ChargeDesk {version}
Control room and OCPP central system.</source>
      <translation>ChargeDesk {version}
Kontrollrum och centralsystem för OCPP.</translation>
    </message>
    <message>
      <source>ChargeDesk — control room</source>
      <translation>ChargeDesk — kontrollrum</translation>
    </message>
    <message>
      <source>Demo fleet</source>
      <translation>Demoflotta</translation>
    </message>
    <message>
      <source>Demo fleet of {n} chargers started</source>
      <translation>Demoflotta med {n} laddare startad</translation>
    </message>
    <message>
      <source>Driver history</source>
      <translation>Förarhistorik</translation>
    </message>
    <message>
      <source>Drivers &amp;&amp; tags</source>
      <translation>Förare och taggar</translation>
    </message>
    <message>
      <source>Graphs</source>
      <translation>Grafer</translation>
    </message>
    <message>
      <source>Payment desk</source>
      <translation>Kassa</translation>
    </message>
    <message>
      <source>Payments</source>
      <translation>Betalningar</translation>
    </message>
    <message>
      <source>Pending stations</source>
      <translation>Väntande stationer</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>Rapporter</translation>
    </message>
    <message>
      <source>Server: listening on port {port}</source>
      <translation>Server: lyssnar på port {port}</translation>
    </message>
    <message>
      <source>Shutting down…</source>
      <translation>Stänger av…</translation>
    </message>
    <message>
      <source>Site map</source>
      <translation>Anläggningskarta</translation>
    </message>
    <message>
      <source>Site power: {kw} kW</source>
      <translation>Anläggningens effekt: {kw} kW</translation>
    </message>
    <message>
      <source>Start &amp;demo fleet</source>
      <translation>Starta &amp;demoflotta</translation>
    </message>
    <message>
      <source>Stations online: {online} of {total}</source>
      <translation>Anslutna stationer: {online} av {total}</translation>
    </message>
    <message>
      <source>Status grid</source>
      <translation>Statusöversikt</translation>
    </message>
    <message>
      <source>Subscriptions</source>
      <translation>Abonnemang</translation>
    </message>
    <message>
      <source>Switch user</source>
      <translation>Byt användare</translation>
    </message>
    <message>
      <source>Tariffs</source>
      <translation>Taxor</translation>
    </message>
    <message>
      <source>The backup is restored. The control room starts again to show it.</source>
      <translation>Säkerhetskopian är återställd. Kontrollrummet startas om för att visa den.</translation>
    </message>
    <message>
      <source>There are no operator accounts yet, so nobody signs in. An admin adds them in File ▸ Operators.</source>
      <translation>Det finns inga operatörskonton ännu, så ingen loggar in. En administratör lägger till dem under Arkiv ▸ Operatörer.</translation>
    </message>
    <message>
      <source>Unacknowledged alarms: {n}</source>
      <translation>Okvitterade larm: {n}</translation>
    </message>
    <message>
      <source>Welcome</source>
      <translation>Välkommen</translation>
    </message>
  </context>
  <context>
    <name>Operations</name>
    <message>
      <source>Something went wrong; the details are in the log.</source>
      <translation>Något gick fel; detaljerna finns i loggen.</translation>
    </message>
    <message>
      <source>The station did not answer in time.</source>
      <translation>Stationen svarade inte i tid.</translation>
    </message>
    <message>
      <source>The station does not support this.</source>
      <translation>Stationen stöder inte detta.</translation>
    </message>
    <message>
      <source>The station is not accepted yet; accept it first.</source>
      <translation>Stationen är inte godkänd ännu; godkänn den först.</translation>
    </message>
    <message>
      <source>The station is offline, so nothing was sent.</source>
      <translation>Stationen är frånkopplad, så inget skickades.</translation>
    </message>
    <message>
      <source>The station refused: {status}.</source>
      <translation>Stationen nekade: {status}.</translation>
    </message>
    <message>
      <source>The station reported an error: {code}.</source>
      <translation>Stationen rapporterade ett fel: {code}.</translation>
    </message>
  </context>
  <context>
    <name>OperatorForm</name>
    <message>
      <source>&amp;Add</source>
      <translation>&amp;Lägg till</translation>
    </message>
    <message>
      <source>&amp;Reset password</source>
      <translation>&amp;Återställ lösenord</translation>
    </message>
    <message>
      <source>A new password for {name}. Hand it over in person; the lockout, if any, is lifted too.</source>
      <translation>Ett nytt lösenord för {name}. Lämna över det personligen; en eventuell spärr hävs också.</translation>
    </message>
    <message>
      <source>Add operator</source>
      <translation>Lägg till operatör</translation>
    </message>
    <message>
      <source>Admin</source>
      <translation>Administratör</translation>
    </message>
    <message>
      <source>Attendant</source>
      <translation>Kassör</translation>
    </message>
    <message>
      <source>Display name:</source>
      <translation>Visningsnamn:</translation>
    </message>
    <message>
      <source>Every station operation, tags, drivers and fleets</source>
      <translation>Alla stationsåtgärder, taggar, förare och flottor</translation>
    </message>
    <message>
      <source>Fair; longer is stronger (a short sentence is easy to remember).</source>
      <translation>Godtagbart; längre är starkare (en kort mening är lätt att minnas).</translation>
    </message>
    <message>
      <source>Manager</source>
      <translation>Chef</translation>
    </message>
    <message>
      <source>New password:</source>
      <translation>Nytt lösenord:</translation>
    </message>
    <message>
      <source>Once more:</source>
      <translation>En gång till:</translation>
    </message>
    <message>
      <source>Operator</source>
      <translation>Operatör</translation>
    </message>
    <message>
      <source>Operator accounts, API tokens, security settings, the audit log</source>
      <translation>Operatörskonton, API-nycklar, säkerhetsinställningar, granskningsloggen</translation>
    </message>
    <message>
      <source>Password:</source>
      <translation>Lösenord:</translation>
    </message>
    <message>
      <source>Payments at the desk, remote start and stop, unlock a connector</source>
      <translation>Betalningar i kassan, fjärrstart och -stopp, lås upp ett uttag</translation>
    </message>
    <message>
      <source>Reset password</source>
      <translation>Återställ lösenord</translation>
    </message>
    <message>
      <source>Role:</source>
      <translation>Roll:</translation>
    </message>
    <message>
      <source>Strong.</source>
      <translation>Starkt.</translation>
    </message>
    <message>
      <source>Tariffs, subscriptions, access rules, refunds, reports, settings</source>
      <translation>Taxor, abonnemang, åtkomstregler, återbetalningar, rapporter, inställningar</translation>
    </message>
    <message>
      <source>The new operator signs in with this user name and password.</source>
      <translation>Den nya operatören loggar in med detta användarnamn och lösenord.</translation>
    </message>
    <message>
      <source>The two passwords differ.</source>
      <translation>De två lösenorden skiljer sig åt.</translation>
    </message>
    <message>
      <source>There are no operator accounts yet. The first one must be an admin, who then adds the others; from then on everyone signs in.</source>
      <translation>Det finns inga operatörskonton ännu. Det första måste vara en administratör, som sedan lägger till de andra; därefter loggar alla in.</translation>
    </message>
    <message>
      <source>Too short: {n} of at least {min} characters.</source>
      <translation>För kort: {n} av minst {min} tecken.</translation>
    </message>
    <message>
      <source>Type the password once more.</source>
      <translation>Skriv lösenordet en gång till.</translation>
    </message>
    <message>
      <source>User name:</source>
      <translation>Användarnamn:</translation>
    </message>
    <message>
      <source>Weak; mix in other kinds of characters, or make it longer.</source>
      <translation>Svagt; blanda in andra sorters tecken, eller gör det längre.</translation>
    </message>
    <message>
      <source>e.g. Anna Lind (the user name if empty)</source>
      <translation>t.ex. Anna Lind (användarnamnet om tomt)</translation>
    </message>
    <message>
      <source>e.g. anna.l</source>
      <translation>t.ex. anna.l</translation>
    </message>
  </context>
  <context>
    <name>OperatorsDialog</name>
    <message>
      <source>&amp;Add…</source>
      <translation>&amp;Lägg till…</translation>
    </message>
    <message>
      <source>&amp;Disable…</source>
      <translation>&amp;Inaktivera…</translation>
    </message>
    <message>
      <source>&amp;Enable</source>
      <translation>&amp;Aktivera</translation>
    </message>
    <message>
      <source>&amp;Unlock</source>
      <translation>Lås &amp;upp</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>Aktiv</translation>
    </message>
    <message>
      <source>Change &amp;role…</source>
      <translation>Ändra &amp;roll…</translation>
    </message>
    <message>
      <source>Change role</source>
      <translation>Ändra roll</translation>
    </message>
    <message>
      <source>Disable</source>
      <translation>Inaktivera</translation>
    </message>
    <message>
      <source>Disable operator</source>
      <translation>Inaktivera operatör</translation>
    </message>
    <message>
      <source>Disable {name}? They can no longer sign in (anyone signed in as them keeps working until they sign out). The account and its audit entries stay; Enable brings it back.</source>
      <translation>Inaktivera {name}? Kontot kan inte längre logga in (den som redan är inloggad fortsätter tills den loggar ut). Kontot och dess poster i granskningsloggen finns kvar; Aktivera tar tillbaka det.</translation>
    </message>
    <message>
      <source>Disabled</source>
      <translation>Inaktiv</translation>
    </message>
    <message>
      <source>Display name</source>
      <translation>Visningsnamn</translation>
    </message>
    <message>
      <source>Last sign-in</source>
      <translation>Senaste inloggning</translation>
    </message>
    <message>
      <source>Let a locked account sign in again at once</source>
      <translation>Låt ett spärrat konto logga in igen direkt</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>Spärrad</translation>
    </message>
    <message>
      <source>Locked after wrong passwords until {time}</source>
      <translation>Spärrad efter felaktiga lösenord till {time}</translation>
    </message>
    <message>
      <source>New role for {name}:</source>
      <translation>Ny roll för {name}:</translation>
    </message>
    <message>
      <source>Operators</source>
      <translation>Operatörer</translation>
    </message>
    <message>
      <source>Reset &amp;password…</source>
      <translation>Återställ &amp;lösenord…</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>Roll</translation>
    </message>
    <message>
      <source>State</source>
      <translation>Läge</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>Användarnamn</translation>
    </message>
    <message>
      <source>Who may sign in to ChargeDesk, and with which role. Accounts are never deleted: disable the ones no longer needed.</source>
      <translation>Vem som får logga in i ChargeDesk, och med vilken roll. Konton raderas aldrig: inaktivera de som inte längre behövs.</translation>
    </message>
    <message>
      <source>never</source>
      <translation>aldrig</translation>
    </message>
    <message>
      <source>{name} added as {role}.</source>
      <translation>{name} tillagd som {role}.</translation>
    </message>
    <message>
      <source>{name} can sign in again.</source>
      <translation>{name} kan logga in igen.</translation>
    </message>
    <message>
      <source>{name} has a new password.</source>
      <translation>{name} har ett nytt lösenord.</translation>
    </message>
    <message>
      <source>{name} is disabled and can no longer sign in.</source>
      <translation>{name} är inaktiverad och kan inte längre logga in.</translation>
    </message>
    <message>
      <source>{name} is now {role}.</source>
      <translation>{name} är nu {role}.</translation>
    </message>
  </context>
  <context>
    <name>OwnPasswordDialog</name>
    <message>
      <source>At least {n} characters; not your user name.</source>
      <translation>Minst {n} tecken; inte ditt användarnamn.</translation>
    </message>
    <message>
      <source>Change my password</source>
      <translation>Ändra mitt lösenord</translation>
    </message>
    <message>
      <source>Change password</source>
      <translation>Ändra lösenord</translation>
    </message>
    <message>
      <source>Current password</source>
      <translation>Nuvarande lösenord</translation>
    </message>
    <message>
      <source>New password</source>
      <translation>Nytt lösenord</translation>
    </message>
    <message>
      <source>New password again</source>
      <translation>Nytt lösenord igen</translation>
    </message>
    <message>
      <source>The new password needs at least {n} characters.</source>
      <translation>Det nya lösenordet behöver minst {n} tecken.</translation>
    </message>
    <message>
      <source>The two new passwords differ.</source>
      <translation>De två nya lösenorden skiljer sig åt.</translation>
    </message>
    <message>
      <source>Type your current password.</source>
      <translation>Skriv ditt nuvarande lösenord.</translation>
    </message>
  </context>
  <context>
    <name>PaymentDesk</name>
    <message>
      <source>Amount tendered:</source>
      <translation>Mottaget belopp:</translation>
    </message>
    <message>
      <source>Awaiting payment</source>
      <translation>Väntar på betalning</translation>
    </message>
    <message>
      <source>Bay</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Avbryt</translation>
    </message>
    <message>
      <source>Card</source>
      <translation>Kort</translation>
    </message>
    <message>
      <source>Card payment approved.</source>
      <translation>Kortbetalningen godkändes.</translation>
    </message>
    <message>
      <source>Card payments are not available.</source>
      <translation>Kortbetalning är inte tillgänglig.</translation>
    </message>
    <message>
      <source>Card {brand} •••• {last4} approved.</source>
      <translation>Kort {brand} •••• {last4} godkänt.</translation>
    </message>
    <message>
      <source>Cash</source>
      <translation>Kontant</translation>
    </message>
    <message>
      <source>Cash taken; give back {c} change.</source>
      <translation>Kontant mottaget; ge tillbaka {c} i växel.</translation>
    </message>
    <message>
      <source>Change:</source>
      <translation>Växel:</translation>
    </message>
    <message>
      <source>Change: {c}</source>
      <translation>Växel: {c}</translation>
    </message>
    <message>
      <source>Charge to subscription</source>
      <translation>Debitera abonnemanget</translation>
    </message>
    <message>
      <source>Charged to the driver’s subscription.</source>
      <translation>Debiterat förarens abonnemang.</translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>Kontrollera igen</translation>
    </message>
    <message>
      <source>Checking Stripe and the card reader…</source>
      <translation>Kontrollerar Stripe och kortläsaren…</translation>
    </message>
    <message>
      <source>Choose a session first.</source>
      <translation>Välj en laddning först.</translation>
    </message>
    <message>
      <source>Choose a session on the left to take payment.</source>
      <translation>Välj en laddning till vänster för att ta betalt.</translation>
    </message>
    <message>
      <source>Driver / fleet</source>
      <translation>Förare / flotta</translation>
    </message>
    <message>
      <source>Duration</source>
      <translation>Tid</translation>
    </message>
    <message>
      <source>Ended</source>
      <translation>Avslutad</translation>
    </message>
    <message>
      <source>Energy</source>
      <translation>Energi</translation>
    </message>
    <message>
      <source>Invoice to fleet:</source>
      <translation>Fakturera flottan:</translation>
    </message>
    <message>
      <source>Look up by station, bay, tag or time…</source>
      <translation>Sök på station, uttag, tagg eller tid…</translation>
    </message>
    <message>
      <source>No card is held.</source>
      <translation>Inga kortreservationer.</translation>
    </message>
    <message>
      <source>No fleets yet: add one under Drivers &amp; tags first.</source>
      <translation>Inga fordonsflottor ännu: lägg till en under Förare och taggar först.</translation>
    </message>
    <message>
      <source>No session is waiting for payment.</source>
      <translation>Ingen laddning väntar på betalning.</translation>
    </message>
    <message>
      <source>No session matches the lookup.</source>
      <translation>Ingen laddning matchar sökningen.</translation>
    </message>
    <message>
      <source>On account</source>
      <translation>På konto</translation>
    </message>
    <message>
      <source>Paid another way</source>
      <translation>Betalt på annat sätt</translation>
    </message>
    <message>
      <source>Paid by QR.</source>
      <translation>Betalt med QR-kod.</translation>
    </message>
    <message>
      <source>Paid — receipt no. {number}. {what}</source>
      <translation>Betalt — kvitto nr {number}. {what}</translation>
    </message>
    <message>
      <source>Paid — {what}</source>
      <translation>Betalt — {what}</translation>
    </message>
    <message>
      <source>Pay before charging</source>
      <translation>Betala före laddning</translation>
    </message>
    <message>
      <source>Present card on the reader</source>
      <translation>Blippa kortet på kortläsaren</translation>
    </message>
    <message>
      <source>Price</source>
      <translation>Pris</translation>
    </message>
    <message>
      <source>Print receipt…</source>
      <translation>Skriv ut kvitto…</translation>
    </message>
    <message>
      <source>Put on account</source>
      <translation>Lägg på konto</translation>
    </message>
    <message>
      <source>Put on {fleet}’s account.</source>
      <translation>Lagt på kontot för {fleet}.</translation>
    </message>
    <message>
      <source>QR</source>
      <translation>QR</translation>
    </message>
    <message>
      <source>QR code withdrawn; take the payment another way.</source>
      <translation>QR-koden är återkallad; ta betalt på annat sätt.</translation>
    </message>
    <message>
      <source>QR payments are not available.</source>
      <translation>QR-betalning är inte tillgänglig.</translation>
    </message>
    <message>
      <source>Scan to pay — valid until {time}</source>
      <translation>Skanna för att betala — giltig till {time}</translation>
    </message>
    <message>
      <source>Sending {amount} to the reader…</source>
      <translation>Skickar {amount} till kortläsaren…</translation>
    </message>
    <message>
      <source>Show QR code</source>
      <translation>Visa QR-kod</translation>
    </message>
    <message>
      <source>Show QR code for {amount}</source>
      <translation>Visa QR-kod för {amount}</translation>
    </message>
    <message>
      <source>Show receipt</source>
      <translation>Visa kvitto</translation>
    </message>
    <message>
      <source>Simulate tap: approve</source>
      <translation>Simulera blipp: godkänn</translation>
    </message>
    <message>
      <source>Simulate tap: decline</source>
      <translation>Simulera blipp: neka</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Subscription</source>
      <translation>Abonnemang</translation>
    </message>
    <message>
      <source>Tag</source>
      <translation>Tagg</translation>
    </message>
    <message>
      <source>Take card payment</source>
      <translation>Ta kortbetalning</translation>
    </message>
    <message>
      <source>Take cash</source>
      <translation>Ta emot kontant</translation>
    </message>
    <message>
      <source>Take payment</source>
      <translation>Ta betalt</translation>
    </message>
    <message>
      <source>Take {amount} by card</source>
      <translation>Ta {amount} med kort</translation>
    </message>
    <message>
      <source>The QR code expired before it was paid; show a new one to try again.</source>
      <translation>QR-koden gick ut innan den betalades; visa en ny för att försöka igen.</translation>
    </message>
    <message>
      <source>The session goes on the driver’s monthly statement.</source>
      <translation>Laddningen förs upp på förarens månatliga laddningsbesked.</translation>
    </message>
    <message>
      <source>The tag’s driver has no active subscription.</source>
      <translation>Taggens förare har inget aktivt abonnemang.</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>Totalt</translation>
    </message>
    <message>
      <source>Type the amount the driver hands over.</source>
      <translation>Skriv beloppet som föraren lämnar.</translation>
    </message>
    <message>
      <source>Walk-in: hold card and start…</source>
      <translation>Drop in: reservera på kort och starta…</translation>
    </message>
    <message>
      <source>bay {n}</source>
      <translation>uttag {n}</translation>
    </message>
    <message>
      <source>of which VAT {rate}</source>
      <translation>varav moms {rate}</translation>
    </message>
    <message>
      <source>walk-in</source>
      <translation>drop in</translation>
    </message>
    <message>
      <source>what the driver hands over, e.g. 200</source>
      <translation>det föraren lämnar, t.ex. 200</translation>
    </message>
    <message>
      <source>{kwh} kWh</source>
      <translation>{kwh} kWh</translation>
    </message>
    <message>
      <source>{n} of {total} sessions shown.</source>
      <translation>{n} av {total} laddningar visas.</translation>
    </message>
    <message>
      <source>{short} too little.</source>
      <translation>{short} för lite.</translation>
    </message>
    <message>
      <source>{station}, bay {bay} — {phase} — {amount}</source>
      <translation>{station}, uttag {bay} — {phase} — {amount}</translation>
    </message>
    <message>
      <source>{station}, bay {bay} — {tag} ({who})</source>
      <translation>{station}, uttag {bay} — {tag} ({who})</translation>
    </message>
  </context>
  <context>
    <name>PaymentSettings</name>
    <message>
      <source>, offline</source>
      <translation>, frånkopplad</translation>
    </message>
    <message>
      <source>A QR code lasts:</source>
      <translation>En QR-kod gäller i:</translation>
    </message>
    <message>
      <source>A hold is for more than nothing.</source>
      <translation>En reservation måste vara större än noll.</translation>
    </message>
    <message>
      <source>A live-mode key is set: real cards are charged.</source>
      <translation>En nyckel för skarpt läge är angiven: riktiga kort debiteras.</translation>
    </message>
    <message>
      <source>A live-mode key: real cards will be charged.</source>
      <translation>En nyckel för skarpt läge: riktiga kort kommer att debiteras.</translation>
    </message>
    <message>
      <source>A seller's name is needed on every receipt.</source>
      <translation>Säljarens namn måste stå på varje kvitto.</translation>
    </message>
    <message>
      <source>A test-mode key is set: no real card is charged.</source>
      <translation>En nyckel för testläge är angiven: inga riktiga kort debiteras.</translation>
    </message>
    <message>
      <source>A test-mode key: no real card will be charged.</source>
      <translation>En nyckel för testläge: inga riktiga kort kommer att debiteras.</translation>
    </message>
    <message>
      <source>A three-letter code such as SEK or EUR.</source>
      <translation>En kod med tre bokstäver, till exempel SEK eller EUR.</translation>
    </message>
    <message>
      <source>Add simulated reader</source>
      <translation>Lägg till simulerad kortläsare</translation>
    </message>
    <message>
      <source>Address:</source>
      <translation>Adress:</translation>
    </message>
    <message>
      <source>At most {n} characters.</source>
      <translation>Högst {n} tecken.</translation>
    </message>
    <message>
      <source>At the desk</source>
      <translation>I kassan</translation>
    </message>
    <message>
      <source>Card and QR payments are off.</source>
      <translation>Kort- och QR-betalning är avstängd.</translation>
    </message>
    <message>
      <source>Card and QR payments are on.</source>
      <translation>Kort- och QR-betalning är påslagen.</translation>
    </message>
    <message>
      <source>Card and QR payments through Stripe</source>
      <translation>Kort- och QR-betalning via Stripe</translation>
    </message>
    <message>
      <source>Choose the desk's card reader below, then save.</source>
      <translation>Välj kassans kortläsare nedan och spara sedan.</translation>
    </message>
    <message>
      <source>Code shown on the reader</source>
      <translation>Koden som visas på kortläsaren</translation>
    </message>
    <message>
      <source>Currency:</source>
      <translation>Valuta:</translation>
    </message>
    <message>
      <source>Desk's card reader:</source>
      <translation>Kassans kortläsare:</translation>
    </message>
    <message>
      <source>Hold before charging ({currency}):</source>
      <translation>Reservation före laddning ({currency}):</translation>
    </message>
    <message>
      <source>Label, e.g. Desk</source>
      <translation>Namn, t.ex. Kassa</translation>
    </message>
    <message>
      <source>New reader:</source>
      <translation>Ny kortläsare:</translation>
    </message>
    <message>
      <source>New secret key:</source>
      <translation>Ny hemlig nyckel:</translation>
    </message>
    <message>
      <source>No key is set: card and QR payments are off.</source>
      <translation>Ingen nyckel är angiven: kort- och QR-betalning är avstängd.</translation>
    </message>
    <message>
      <source>None (card payments off)</source>
      <translation>Ingen (kortbetalning avstängd)</translation>
    </message>
    <message>
      <source>On every receipt</source>
      <translation>På varje kvitto</translation>
    </message>
    <message>
      <source>Organisation number:</source>
      <translation>Organisationsnummer:</translation>
    </message>
    <message>
      <source>Payment settings</source>
      <translation>Betalningsinställningar</translation>
    </message>
    <message>
      <source>QR payments are on; card payments are off.</source>
      <translation>QR-betalning är påslagen; kortbetalning är avstängd.</translation>
    </message>
    <message>
      <source>Reading the keyring…</source>
      <translation>Läser nyckelringen…</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>Uppdatera</translation>
    </message>
    <message>
      <source>Register</source>
      <translation>Registrera</translation>
    </message>
    <message>
      <source>Registered {label}; chosen for the desk.</source>
      <translation>{label} är registrerad och vald för kassan.</translation>
    </message>
    <message>
      <source>Remove key</source>
      <translation>Ta bort nyckeln</translation>
    </message>
    <message>
      <source>Remove key…</source>
      <translation>Ta bort nyckeln…</translation>
    </message>
    <message>
      <source>Remove the Stripe key</source>
      <translation>Ta bort Stripe-nyckeln</translation>
    </message>
    <message>
      <source>Remove the Stripe key from this computer? Card and QR payments stop until a key is entered again; cash and account payments keep working.</source>
      <translation>Ta bort Stripe-nyckeln från den här datorn? Kort- och QR-betalning slutar fungera tills en nyckel anges igen; kontant betalning och betalning på konto fungerar som vanligt.</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Spara</translation>
    </message>
    <message>
      <source>Saved in {path}; the Stripe key in this computer's keyring.</source>
      <translation>Sparat i {path}; Stripe-nyckeln i den här datorns nyckelring.</translation>
    </message>
    <message>
      <source>Seller on receipts:</source>
      <translation>Säljare på kvitton:</translation>
    </message>
    <message>
      <source>Simulated desk reader</source>
      <translation>Simulerad kortläsare i kassan</translation>
    </message>
    <message>
      <source>Stripe:</source>
      <translation>Stripe:</translation>
    </message>
    <message>
      <source>Takes effect after ChargeDesk restarts.</source>
      <translation>Gäller efter att ChargeDesk startats om.</translation>
    </message>
    <message>
      <source>Test mode: a reader Stripe simulates</source>
      <translation>Testläge: en kortläsare som Stripe simulerar</translation>
    </message>
    <message>
      <source>The settings file could not be written ({reason}).</source>
      <translation>Inställningsfilen kunde inte skrivas ({reason}).</translation>
    </message>
    <message>
      <source>Type the code the reader shows, and a label.</source>
      <translation>Skriv koden som kortläsaren visar och ett namn.</translation>
    </message>
    <message>
      <source>Wait for a card:</source>
      <translation>Vänta på kort i:</translation>
    </message>
    <message>
      <source>simulated</source>
      <translation>simulerad</translation>
    </message>
    <message>
      <source>sk_test_… or sk_live_…; empty keeps the key</source>
      <translation>sk_test_… eller sk_live_…; tomt behåller nyckeln</translation>
    </message>
    <message>
      <source>{id} (not listed by Stripe)</source>
      <translation>{id} (saknas i Stripes lista)</translation>
    </message>
  </context>
  <context>
    <name>PaymentsLog</name>
    <message>
      <source>&amp;Refund…</source>
      <translation>&amp;Återbetala…</translation>
    </message>
    <message>
      <source>&amp;Void cash…</source>
      <translation>&amp;Makulera kontant…</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>Belopp</translation>
    </message>
    <message>
      <source>By</source>
      <translation>Av</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>Avbruten</translation>
    </message>
    <message>
      <source>Card</source>
      <translation>Kort</translation>
    </message>
    <message>
      <source>Card hold</source>
      <translation>Kortreservation</translation>
    </message>
    <message>
      <source>Cash</source>
      <translation>Kontant</translation>
    </message>
    <message>
      <source>Could not read the payments: {why}</source>
      <translation>Betalningarna kunde inte läsas: {why}</translation>
    </message>
    <message>
      <source>Day:</source>
      <translation>Dag:</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>Misslyckad</translation>
    </message>
    <message>
      <source>For a manager: give back part or all of a payment</source>
      <translation>För ansvarig: återbetala hela eller en del av en betalning</translation>
    </message>
    <message>
      <source>Invoiced</source>
      <translation>Fakturerad</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>Betalsätt</translation>
    </message>
    <message>
      <source>Mobile (QR)</source>
      <translation>Mobil (QR)</translation>
    </message>
    <message>
      <source>No payments this day.</source>
      <translation>Inga betalningar denna dag.</translation>
    </message>
    <message>
      <source>On account</source>
      <translation>På konto</translation>
    </message>
    <message>
      <source>Paid</source>
      <translation>Betald</translation>
    </message>
    <message>
      <source>Partly refunded</source>
      <translation>Delvis återbetald</translation>
    </message>
    <message>
      <source>Payment {id} voided.</source>
      <translation>Betalning {id} är makulerad.</translation>
    </message>
    <message>
      <source>Re&amp;print receipt…</source>
      <translation>Skriv &amp;ut kvitto igen…</translation>
    </message>
    <message>
      <source>Receipt</source>
      <translation>Kvitto</translation>
    </message>
    <message>
      <source>Refunded</source>
      <translation>Återbetald</translation>
    </message>
    <message>
      <source>Refunded {amount} of payment {id}.</source>
      <translation>{amount} av betalning {id} är återbetalt.</translation>
    </message>
    <message>
      <source>Session</source>
      <translation>Laddning</translation>
    </message>
    <message>
      <source>State</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>Stripe did not make the refund of {amount}; nothing was refunded.</source>
      <translation>Stripe genomförde inte återbetalningen på {amount}; inget återbetalades.</translation>
    </message>
    <message>
      <source>Subscription</source>
      <translation>Abonnemang</translation>
    </message>
    <message>
      <source>Take back cash taken today, e.g. a wrong session</source>
      <translation>Ta tillbaka en kontantbetalning från i dag, t.ex. fel laddning</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Tid</translation>
    </message>
    <message>
      <source>Void</source>
      <translation>Makulera</translation>
    </message>
    <message>
      <source>Void cash payment</source>
      <translation>Makulera kontantbetalning</translation>
    </message>
    <message>
      <source>Void cash payment {id} of {amount}? Hand the money back; the session awaits payment again.</source>
      <translation>Makulera kontantbetalning {id} på {amount}? Lämna tillbaka pengarna; laddningen väntar då på betalning igen.</translation>
    </message>
    <message>
      <source>Voided</source>
      <translation>Makulerad</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>Väntar</translation>
    </message>
    <message>
      <source>Why is payment {id} voided? (kept in the ledger)</source>
      <translation>Varför makuleras betalning {id}? (sparas i betalningsjournalen)</translation>
    </message>
    <message>
      <source>{n} payments, {taken} taken (after refunds)</source>
      <translation>{n} betalningar, {taken} mottaget (efter återbetalningar)</translation>
    </message>
  </context>
  <context>
    <name>PendingStations</name>
    <message>
      <source>&amp;Accept…</source>
      <translation>&amp;Godkänn…</translation>
    </message>
    <message>
      <source>&amp;Reject…</source>
      <translation>A&amp;vvisa…</translation>
    </message>
    <message>
      <source>8 to 40 characters</source>
      <translation>8 till 40 tecken</translation>
    </message>
    <message>
      <source>&lt;b&gt;{station}&lt;/b&gt; will be allowed to operate. Should it log in with a password (OCPP security profile 1)?</source>
      <translation>&lt;b&gt;{station}&lt;/b&gt; kommer att tillåtas att användas. Ska den logga in med ett lösenord (OCPP-säkerhetsprofil 1)?</translation>
    </message>
    <message>
      <source>Accept station</source>
      <translation>Godkänn station</translation>
    </message>
    <message>
      <source>Accept {station}</source>
      <translation>Godkänn {station}</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>Adress</translation>
    </message>
    <message>
      <source>Chargers this system does not know yet. Until you accept one it may connect but not charge; a rejected one is refused when it next connects.</source>
      <translation>Laddare som systemet inte känner till ännu. Tills du godkänner en laddare kan den ansluta men inte ladda; en avvisad laddare nekas nästa gång den ansluter.</translation>
    </message>
    <message>
      <source>Connected</source>
      <translation>Ansluten</translation>
    </message>
    <message>
      <source>Connection</source>
      <translation>Anslutning</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>Kopiera</translation>
    </message>
    <message>
      <source>Enter this password in the charger's OCPP settings (Basic authentication password, AuthorizationKey). It is shown &lt;b&gt;only now&lt;/b&gt;: ChargeDesk keeps only a hash and cannot show it again.</source>
      <translation>Ange det här lösenordet i laddarens OCPP-inställningar (lösenord för Basic-autentisering, AuthorizationKey). Det visas &lt;b&gt;bara nu&lt;/b&gt;: ChargeDesk sparar endast en hash och kan inte visa det igen.</translation>
    </message>
    <message>
      <source>Firmware</source>
      <translation>Firmware</translation>
    </message>
    <message>
      <source>First seen</source>
      <translation>Först sedd</translation>
    </message>
    <message>
      <source>Generate a strong password (recommended)</source>
      <translation>Generera ett starkt lösenord (rekommenderas)</translation>
    </message>
    <message>
      <source>New chargers are accepted at once (setting: unknown stations = accept).</source>
      <translation>Nya laddare godkänns direkt (inställning: okända stationer = godkänn).</translation>
    </message>
    <message>
      <source>New chargers are held here for approval.</source>
      <translation>Nya laddare hålls kvar här för godkännande.</translation>
    </message>
    <message>
      <source>New chargers are refused at once (setting: unknown stations = reject).</source>
      <translation>Nya laddare nekas direkt (inställning: okända stationer = avvisa).</translation>
    </message>
    <message>
      <source>No chargers are waiting for approval.</source>
      <translation>Inga laddare väntar på godkännande.</translation>
    </message>
    <message>
      <source>No password: any device using this id may connect</source>
      <translation>Inget lösenord: alla enheter som använder detta id kan ansluta</translation>
    </message>
    <message>
      <source>No site yet</source>
      <translation>Ingen anläggning än</translation>
    </message>
    <message>
      <source>Not connected</source>
      <translation>Ej ansluten</translation>
    </message>
    <message>
      <source>Password for {station}</source>
      <translation>Lösenord för {station}</translation>
    </message>
    <message>
      <source>Reject station</source>
      <translation>Avvisa station</translation>
    </message>
    <message>
      <source>Reject {station}? It will not be allowed to charge, and its connections will be refused from now on.</source>
      <translation>Avvisa {station}? Den kommer inte att tillåtas ladda, och dess anslutningar nekas från och med nu.</translation>
    </message>
    <message>
      <source>Select a station first</source>
      <translation>Välj en station först</translation>
    </message>
    <message>
      <source>Site:</source>
      <translation>Anläggning:</translation>
    </message>
    <message>
      <source>Station id</source>
      <translation>Stations-id</translation>
    </message>
    <message>
      <source>Use this password:</source>
      <translation>Använd det här lösenordet:</translation>
    </message>
    <message>
      <source>Vendor and model</source>
      <translation>Tillverkare och modell</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>okänd</translation>
    </message>
    <message>
      <source>{station} accepted.</source>
      <translation>{station} godkänd.</translation>
    </message>
    <message>
      <source>{station} accepted; it starts working when it next boots.</source>
      <translation>{station} godkänd; den börjar fungera nästa gång den startar.</translation>
    </message>
    <message>
      <source>{station} rejected.</source>
      <translation>{station} avvisad.</translation>
    </message>
  </context>
  <context>
    <name>PowerLimitDialog</name>
    <message>
      <source>A (per phase)</source>
      <translation>A (per fas)</translation>
    </message>
    <message>
      <source>Applies to</source>
      <translation>Gäller</translation>
    </message>
    <message>
      <source>Clear limit</source>
      <translation>Ta bort gräns</translation>
    </message>
    <message>
      <source>Clear power limit on {station}</source>
      <translation>Ta bort effektgräns på {station}</translation>
    </message>
    <message>
      <source>Every new session, each connector</source>
      <translation>Varje ny laddsession, på varje uttag</translation>
    </message>
    <message>
      <source>Limit</source>
      <translation>Gräns</translation>
    </message>
    <message>
      <source>New sessions on connector {n}</source>
      <translation>Nya laddsessioner på uttag {n}</translation>
    </message>
    <message>
      <source>Power limit for {station}</source>
      <translation>Effektgräns för {station}</translation>
    </message>
    <message>
      <source>Remove the limits of this kind; the station may then charge at full power.</source>
      <translation>Ta bort gränserna av den här typen; stationen kan då ladda med full effekt.</translation>
    </message>
    <message>
      <source>Set limit</source>
      <translation>Ställ in gräns</translation>
    </message>
    <message>
      <source>The station keeps to this limit until it is cleared. A whole-station limit is shared by all connectors; a session default applies to each session on its own.</source>
      <translation>Stationen håller sig till den här gränsen tills den tas bort. En gräns för hela stationen delas av alla uttag; en standardgräns för laddsessioner gäller varje laddsession för sig.</translation>
    </message>
    <message>
      <source>Whole station (all connectors together)</source>
      <translation>Hela stationen (alla uttag tillsammans)</translation>
    </message>
    <message>
      <source>kW</source>
      <translation>kW</translation>
    </message>
  </context>
  <context>
    <name>PreAuthStart</name>
    <message>
      <source>Amount held on the card</source>
      <translation>Beloppet är reserverat på kortet</translation>
    </message>
    <message>
      <source>Cancel hold</source>
      <translation>Avbryt reservationen</translation>
    </message>
    <message>
      <source>Charging</source>
      <translation>Laddar</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>Misslyckades</translation>
    </message>
    <message>
      <source>Free bay:</source>
      <translation>Ledigt uttag:</translation>
    </message>
    <message>
      <source>Hold ({currency}):</source>
      <translation>Reservation ({currency}):</translation>
    </message>
    <message>
      <source>Hold card and start</source>
      <translation>Reservera på kort och starta</translation>
    </message>
    <message>
      <source>Hold released</source>
      <translation>Reservationen har släppts</translation>
    </message>
    <message>
      <source>No bay is free: every connected charger is busy or offline.</source>
      <translation>Inget uttag är ledigt: alla anslutna laddare är upptagna eller frånkopplade.</translation>
    </message>
    <message>
      <source>Price taken from the card</source>
      <translation>Priset har dragits från kortet</translation>
    </message>
    <message>
      <source>Receipt no. {number}</source>
      <translation>Kvitto nr {number}</translation>
    </message>
    <message>
      <source>Sending the hold to the reader…</source>
      <translation>Skickar reservationen till kortläsaren…</translation>
    </message>
    <message>
      <source>Show receipt</source>
      <translation>Visa kvitto</translation>
    </message>
    <message>
      <source>Simulate tap: approve</source>
      <translation>Simulera blipp: godkänn</translation>
    </message>
    <message>
      <source>Simulate tap: decline</source>
      <translation>Simulera blipp: neka</translation>
    </message>
    <message>
      <source>Starting the charger</source>
      <translation>Startar laddaren</translation>
    </message>
    <message>
      <source>The customer's card is held for the amount below; the bay starts only once the hold succeeds. At the end only the real price is taken.</source>
      <translation>Beloppet nedan reserveras på kundens kort; uttaget startar först när reservationen har lyckats. Efter laddningen dras bara det faktiska priset.</translation>
    </message>
    <message>
      <source>Type the amount to hold, more than nothing, e.g. 300.</source>
      <translation>Skriv beloppet som ska reserveras, större än noll, t.ex. 300.</translation>
    </message>
    <message>
      <source>Waiting for the card</source>
      <translation>Väntar på kortet</translation>
    </message>
    <message>
      <source>Walk-in: hold card and start</source>
      <translation>Drop in: reservera på kort och starta</translation>
    </message>
    <message>
      <source>{price} so far</source>
      <translation>{price} hittills</translation>
    </message>
    <message>
      <source>{station}, bay {bay}</source>
      <translation>{station}, uttag {bay}</translation>
    </message>
  </context>
  <context>
    <name>Receipt</name>
    <message>
      <source>&amp;Print…</source>
      <translation>Skriv &amp;ut…</translation>
    </message>
    <message>
      <source>E-mail to:</source>
      <translation>E-post till:</translation>
    </message>
    <message>
      <source>Keep &amp;address</source>
      <translation>Spara &amp;adress</translation>
    </message>
    <message>
      <source>Keep the address with the receipt, to send it later</source>
      <translation>Spara adressen med kvittot för att skicka det senare</translation>
    </message>
    <message>
      <source>No e-mail address is kept for this receipt.</source>
      <translation>Ingen e-postadress är sparad för det här kvittot.</translation>
    </message>
    <message>
      <source>Receipt {number}</source>
      <translation>Kvitto {number}</translation>
    </message>
    <message>
      <source>Receipt {n} sent to the printer.</source>
      <translation>Kvitto {n} har skickats till skrivaren.</translation>
    </message>
    <message>
      <source>Save &amp;PDF…</source>
      <translation>Spara &amp;PDF…</translation>
    </message>
    <message>
      <source>Save receipt as PDF</source>
      <translation>Spara kvitto som PDF</translation>
    </message>
    <message>
      <source>Saved the receipt to {path}.</source>
      <translation>Kvittot har sparats i {path}.</translation>
    </message>
    <message>
      <source>The file could not be written: {path}</source>
      <translation>Filen kunde inte sparas: {path}</translation>
    </message>
    <message>
      <source>The printer could not be opened.</source>
      <translation>Skrivaren kunde inte öppnas.</translation>
    </message>
    <message>
      <source>The receipt will be sent to {email}.</source>
      <translation>Kvittot skickas till {email}.</translation>
    </message>
    <message>
      <source>name@example.com</source>
      <translation>namn@exempel.se</translation>
    </message>
    <message>
      <source>receipt-{number}.pdf</source>
      <translation>kvitto-{number}.pdf</translation>
    </message>
  </context>
  <context>
    <name>ReceiptPrint</name>
    <message>
      <source>Cash tendered</source>
      <translation>Mottaget kontant</translation>
    </message>
    <message>
      <source>Change</source>
      <translation>Tillbaka</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>Datum</translation>
    </message>
    <message>
      <source>Duration</source>
      <translation>Tid</translation>
    </message>
    <message>
      <source>Energy</source>
      <translation>Energi</translation>
    </message>
    <message>
      <source>Org. no. {n}</source>
      <translation>Org.nr {n}</translation>
    </message>
    <message>
      <source>Paid by</source>
      <translation>Betalt med</translation>
    </message>
    <message>
      <source>Receipt no.</source>
      <translation>Kvittonr</translation>
    </message>
    <message>
      <source>Receipt roll</source>
      <translation>Kvittorulle</translation>
    </message>
    <message>
      <source>Receipt {number}</source>
      <translation>Kvitto {number}</translation>
    </message>
    <message>
      <source>Session</source>
      <translation>Laddning</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>Start</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>Stopp</translation>
    </message>
    <message>
      <source>TOTAL</source>
      <translation>TOTALT</translation>
    </message>
    <message>
      <source>Thank you</source>
      <translation>Tack</translation>
    </message>
    <message>
      <source>VAT {rate} of {net}</source>
      <translation>Moms {rate} på {net}</translation>
    </message>
    <message>
      <source>{h} h {m:02d} min</source>
      <translation>{h} h {m:02d} min</translation>
    </message>
  </context>
  <context>
    <name>Refund</name>
    <message>
      <source>A reason is needed: it is kept with the refund.</source>
      <translation>Ett skäl måste anges: det sparas med återbetalningen.</translation>
    </message>
    <message>
      <source>A refund is for more than nothing.</source>
      <translation>En återbetalning måste vara större än noll.</translation>
    </message>
    <message>
      <source>Amount ({currency}):</source>
      <translation>Belopp ({currency}):</translation>
    </message>
    <message>
      <source>At most {left}: what is left of the payment.</source>
      <translation>Högst {left}: det som återstår av betalningen.</translation>
    </message>
    <message>
      <source>Hand the money back from the drawer.</source>
      <translation>Lämna tillbaka pengarna från kassalådan.</translation>
    </message>
    <message>
      <source>Payment {id}: {method}, {amount}.</source>
      <translation>Betalning {id}: {method}, {amount}.</translation>
    </message>
    <message>
      <source>Reason:</source>
      <translation>Skäl:</translation>
    </message>
    <message>
      <source>Refund</source>
      <translation>Återbetala</translation>
    </message>
    <message>
      <source>Refund payment {id}</source>
      <translation>Återbetala betalning {id}</translation>
    </message>
    <message>
      <source>Refund {amount} of payment {id}? This cannot be undone.</source>
      <translation>Återbetala {amount} av betalning {id}? Det går inte att ångra.</translation>
    </message>
    <message>
      <source>Refund…</source>
      <translation>Återbetala…</translation>
    </message>
    <message>
      <source>The refund goes back to the card through Stripe.</source>
      <translation>Återbetalningen går tillbaka till kortet via Stripe.</translation>
    </message>
    <message>
      <source>Why, for the ledger: e.g. the charger stopped early</source>
      <translation>Varför, för journalen: t.ex. laddaren stannade i förtid</translation>
    </message>
    <message>
      <source>{done} refunded already.</source>
      <translation>{done} är redan återbetalt.</translation>
    </message>
  </context>
  <context>
    <name>RemoteStartDialog</name>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Id tag</source>
      <translation>Id-tagg</translation>
    </message>
    <message>
      <source>Known tag or type one</source>
      <translation>Känd tagg eller skriv in en</translation>
    </message>
    <message>
      <source>No connector is free.</source>
      <translation>Inget uttag är ledigt.</translation>
    </message>
    <message>
      <source>Remote start on {station}</source>
      <translation>Fjärrstart på {station}</translation>
    </message>
    <message>
      <source>Start session</source>
      <translation>Starta laddsession</translation>
    </message>
    <message>
      <source>The station starts a session as if the tag had been presented at the connector. A car must be plugged in, or be plugged in soon.</source>
      <translation>Stationen startar en laddsession som om taggen hade visats upp vid uttaget. En bil måste vara inkopplad eller kopplas in inom kort.</translation>
    </message>
  </context>
  <context>
    <name>ReportPdf</name>
    <message>
      <source>All stations</source>
      <translation>Alla stationer</translation>
    </message>
    <message>
      <source>Capacity summary</source>
      <translation>Kapacitetsöversikt</translation>
    </message>
    <message>
      <source>How:</source>
      <translation>Metod:</translation>
    </message>
    <message>
      <source>{site}, {first} – {last} ({days} days)</source>
      <translation>{site}, {first} – {last} ({days} dagar)</translation>
    </message>
  </context>
  <context>
    <name>ReportSessions</name>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Ended</source>
      <translation>Avslutad</translation>
    </message>
    <message>
      <source>Energy in range (kWh)</source>
      <translation>Energi i perioden (kWh)</translation>
    </message>
    <message>
      <source>Revenue</source>
      <translation>Intäkter</translation>
    </message>
    <message>
      <source>Sessions behind the figure</source>
      <translation>Laddningar bakom siffran</translation>
    </message>
    <message>
      <source>Started</source>
      <translation>Startad</translation>
    </message>
    <message>
      <source>Tag</source>
      <translation>Tagg</translation>
    </message>
    <message>
      <source>Transaction</source>
      <translation>Transaktion</translation>
    </message>
    <message>
      <source>charging</source>
      <translation>laddar</translation>
    </message>
    <message>
      <source>{what}: {count} sessions</source>
      <translation>{what}: {count} laddningar</translation>
    </message>
  </context>
  <context>
    <name>Reports</name>
    <message>
      <source>All connectors busy (saturation)</source>
      <translation>Alla uttag upptagna (mättnad)</translation>
    </message>
    <message>
      <source>All stations</source>
      <translation>Alla stationer</translation>
    </message>
    <message>
      <source>Availability</source>
      <translation>Tillgänglighet</translation>
    </message>
    <message>
      <source>Average (kW)</source>
      <translation>Medel (kW)</translation>
    </message>
    <message>
      <source>Capacity summary</source>
      <translation>Kapacitetsöversikt</translation>
    </message>
    <message>
      <source>Charging (h)</source>
      <translation>Laddning (h)</translation>
    </message>
    <message>
      <source>Choose a site to set its limit.</source>
      <translation>Välj en anläggning för att ange dess gräns.</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>Ta bort</translation>
    </message>
    <message>
      <source>Connection limit (kW)</source>
      <translation>Anslutningsgräns (kW)</translation>
    </message>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Connectors</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Connectors that would have served them</source>
      <translation>Uttag som hade behövts för dem</translation>
    </message>
    <message>
      <source>Custom</source>
      <translation>Valfri period</translation>
    </message>
    <message>
      <source>Demand</source>
      <translation>Efterfrågan</translation>
    </message>
    <message>
      <source>Downtime (h)</source>
      <translation>Driftstopp (h)</translation>
    </message>
    <message>
      <source>Drivers turned away</source>
      <translation>Förare som fick åka vidare</translation>
    </message>
    <message>
      <source>Drivers who waited</source>
      <translation>Förare som fick vänta</translation>
    </message>
    <message>
      <source>Energy (kWh)</source>
      <translation>Energi (kWh)</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>Exportera CSV…</translation>
    </message>
    <message>
      <source>Export PDF…</source>
      <translation>Exportera PDF…</translation>
    </message>
    <message>
      <source>Export report as PDF</source>
      <translation>Exportera rapporten som PDF</translation>
    </message>
    <message>
      <source>Export table</source>
      <translation>Exportera tabell</translation>
    </message>
    <message>
      <source>Faults</source>
      <translation>Fel</translation>
    </message>
    <message>
      <source>Figure</source>
      <translation>Nyckeltal</translation>
    </message>
    <message>
      <source>Fri</source>
      <translation>fre</translation>
    </message>
    <message>
      <source>From</source>
      <translation>Från</translation>
    </message>
    <message>
      <source>Grouping</source>
      <translation>Gruppering</translation>
    </message>
    <message>
      <source>How: {method}</source>
      <translation>Metod: {method}</translation>
    </message>
    <message>
      <source>Idle (h)</source>
      <translation>Uppehåll (h)</translation>
    </message>
    <message>
      <source>Last 30 days</source>
      <translation>Senaste 30 dagarna</translation>
    </message>
    <message>
      <source>Last 7 days</source>
      <translation>Senaste 7 dagarna</translation>
    </message>
    <message>
      <source>Last month</source>
      <translation>Förra månaden</translation>
    </message>
    <message>
      <source>Mon</source>
      <translation>mån</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Anmärkning</translation>
    </message>
    <message>
      <source>Nothing to say about this range yet.</source>
      <translation>Inget att rapportera för perioden ännu.</translation>
    </message>
    <message>
      <source>Occupancy by hour and weekday</source>
      <translation>Beläggning per timme och veckodag</translation>
    </message>
    <message>
      <source>Outages</source>
      <translation>Avbrott</translation>
    </message>
    <message>
      <source>Peak (kW)</source>
      <translation>Topp (kW)</translation>
    </message>
    <message>
      <source>Peak as share of the limit</source>
      <translation>Toppeffekt som andel av gränsen</translation>
    </message>
    <message>
      <source>Peak simultaneous power (kW)</source>
      <translation>Högsta samtidiga effekt (kW)</translation>
    </message>
    <message>
      <source>Per connector</source>
      <translation>Per uttag</translation>
    </message>
    <message>
      <source>Per station</source>
      <translation>Per station</translation>
    </message>
    <message>
      <source>Range</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>Rank</source>
      <translation>Plats</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>Uppdatera</translation>
    </message>
    <message>
      <source>Revenue</source>
      <translation>Intäkter</translation>
    </message>
    <message>
      <source>Sat</source>
      <translation>lör</translation>
    </message>
    <message>
      <source>Sessions</source>
      <translation>Laddningar</translation>
    </message>
    <message>
      <source>Set limit</source>
      <translation>Ange gräns</translation>
    </message>
    <message>
      <source>Share of the hour connectors were occupied:</source>
      <translation>Andel av timmen som uttagen var upptagna:</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>Anläggning</translation>
    </message>
    <message>
      <source>Site connection limit</source>
      <translation>Anläggningens anslutningsgräns</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Station league</source>
      <translation>Stationsrankning</translation>
    </message>
    <message>
      <source>Sun</source>
      <translation>sön</translation>
    </message>
    <message>
      <source>This month</source>
      <translation>Denna månad</translation>
    </message>
    <message>
      <source>This year</source>
      <translation>I år</translation>
    </message>
    <message>
      <source>Thu</source>
      <translation>tor</translation>
    </message>
    <message>
      <source>Times every connector was busy</source>
      <translation>Gånger alla uttag var upptagna</translation>
    </message>
    <message>
      <source>Tue</source>
      <translation>tis</translation>
    </message>
    <message>
      <source>Usage</source>
      <translation>Användning</translation>
    </message>
    <message>
      <source>Usage and demand report</source>
      <translation>Rapport om användning och efterfrågan</translation>
    </message>
    <message>
      <source>Utilisation</source>
      <translation>Utnyttjandegrad</translation>
    </message>
    <message>
      <source>Utilisation (%)</source>
      <translation>Utnyttjandegrad (%)</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>Värde</translation>
    </message>
    <message>
      <source>Wed</source>
      <translation>ons</translation>
    </message>
    <message>
      <source>least used</source>
      <translation>minst använd</translation>
    </message>
    <message>
      <source>most faults</source>
      <translation>flest fel</translation>
    </message>
    <message>
      <source>most used</source>
      <translation>mest använd</translation>
    </message>
    <message>
      <source>not set</source>
      <translation>inte angiven</translation>
    </message>
    <message>
      <source>to</source>
      <translation>till</translation>
    </message>
    <message>
      <source>{day} {hour:02d}–{end:02d}: occupied {occ} %, all busy {sat} %</source>
      <translation>{day} {hour:02d}–{end:02d}: belagt {occ} %, alla upptagna {sat} %</translation>
    </message>
  </context>
  <context>
    <name>Settlement</name>
    <message>
      <source>&amp;Print…</source>
      <translation>Skriv &amp;ut…</translation>
    </message>
    <message>
      <source>Business day:</source>
      <translation>Affärsdag:</translation>
    </message>
    <message>
      <source>CSV for spreadsheets in Swedish, semicolon-separated (*.csv)</source>
      <translation>CSV för kalkylprogram på svenska, semikolonseparerad (*.csv)</translation>
    </message>
    <message>
      <source>CSV, comma-separated (*.csv)</source>
      <translation>CSV, kommaseparerad (*.csv)</translation>
    </message>
    <message>
      <source>Cash expected in the drawer: &lt;b&gt;{amount}&lt;/b&gt;</source>
      <translation>Förväntat kontantbelopp i kassalådan: &lt;b&gt;{amount}&lt;/b&gt;</translation>
    </message>
    <message>
      <source>Could not read the report: {why}</source>
      <translation>Rapporten kunde inte läsas: {why}</translation>
    </message>
    <message>
      <source>End-of-day settlement</source>
      <translation>Dagsavslut</translation>
    </message>
    <message>
      <source>Save &amp;CSV…</source>
      <translation>Spara &amp;CSV…</translation>
    </message>
    <message>
      <source>Save &amp;PDF…</source>
      <translation>Spara &amp;PDF…</translation>
    </message>
    <message>
      <source>Save the Z-report as CSV</source>
      <translation>Spara Z-rapporten som CSV</translation>
    </message>
    <message>
      <source>Save the Z-report as PDF</source>
      <translation>Spara Z-rapporten som PDF</translation>
    </message>
    <message>
      <source>Saved to {path}.</source>
      <translation>Sparat i {path}.</translation>
    </message>
    <message>
      <source>The file could not be written: {path}</source>
      <translation>Filen kunde inte sparas: {path}</translation>
    </message>
    <message>
      <source>The report for {day} was sent to the printer.</source>
      <translation>Rapporten för {day} har skickats till skrivaren.</translation>
    </message>
  </context>
  <context>
    <name>SettlementPrint</name>
    <message>
      <source>Amount</source>
      <translation>Belopp</translation>
    </message>
    <message>
      <source>Business day</source>
      <translation>Affärsdag</translation>
    </message>
    <message>
      <source>Card holds still open</source>
      <translation>Öppna kortreservationer</translation>
    </message>
    <message>
      <source>Cash drawer</source>
      <translation>Kassalåda</translation>
    </message>
    <message>
      <source>Cash expected in the drawer</source>
      <translation>Förväntat kontantbelopp i kassalådan</translation>
    </message>
    <message>
      <source>Cash refunded</source>
      <translation>Kontant återbetalt</translation>
    </message>
    <message>
      <source>Cash taken</source>
      <translation>Kontant mottaget</translation>
    </message>
    <message>
      <source>Count</source>
      <translation>Antal</translation>
    </message>
    <message>
      <source>Currency</source>
      <translation>Valuta</translation>
    </message>
    <message>
      <source>End-of-day settlement (Z-report)</source>
      <translation>Dagsavslut (Z-rapport)</translation>
    </message>
    <message>
      <source>Made</source>
      <translation>Skapad</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>Betalsätt</translation>
    </message>
    <message>
      <source>No refunds this day.</source>
      <translation>Inga återbetalningar denna dag.</translation>
    </message>
    <message>
      <source>Not in the takings</source>
      <translation>Ingår inte i dagskassan</translation>
    </message>
    <message>
      <source>Opening float</source>
      <translation>Ingående växelkassa</translation>
    </message>
    <message>
      <source>Payments taken</source>
      <translation>Mottagna betalningar</translation>
    </message>
    <message>
      <source>Refunds</source>
      <translation>Återbetalningar</translation>
    </message>
    <message>
      <source>Seller</source>
      <translation>Säljare</translation>
    </message>
    <message>
      <source>Total taken</source>
      <translation>Totalt mottaget</translation>
    </message>
    <message>
      <source>Voided cash</source>
      <translation>Makulerade kontantbetalningar</translation>
    </message>
    <message>
      <source>Z-report {day}</source>
      <translation>Z-rapport {day}</translation>
    </message>
    <message>
      <source>of which VAT</source>
      <translation>varav moms</translation>
    </message>
  </context>
  <context>
    <name>SignIn</name>
    <message>
      <source>Checking…</source>
      <translation>Kontrollerar…</translation>
    </message>
    <message>
      <source>Hand over: the next person signs in.</source>
      <translation>Överlämning: nästa person loggar in.</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>Låst</translation>
    </message>
    <message>
      <source>Locked after a while without use.</source>
      <translation>Låst efter en stund utan användning.</translation>
    </message>
    <message>
      <source>No operator accounts: full access</source>
      <translation>Inga operatörskonton: full åtkomst</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>Lösenord</translation>
    </message>
    <message>
      <source>Quit ChargeDesk</source>
      <translation>Avsluta ChargeDesk</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>Logga in</translation>
    </message>
    <message>
      <source>Sign in to ChargeDesk</source>
      <translation>Logga in i ChargeDesk</translation>
    </message>
    <message>
      <source>Sign in with your ChargeDesk operator account.</source>
      <translation>Logga in med ditt operatörskonto i ChargeDesk.</translation>
    </message>
    <message>
      <source>Signed in: {name} ({role})</source>
      <translation>Inloggad: {name} ({role})</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>Användarnamn</translation>
    </message>
  </context>
  <context>
    <name>SiteMap</name>
    <message>
      <source>1 connector</source>
      <translation>1 uttag</translation>
    </message>
    <message>
      <source>Add a site first</source>
      <translation>Lägg till en anläggning först</translation>
    </message>
    <message>
      <source>Add a site or a level</source>
      <translation>Lägg till en anläggning eller ett plan</translation>
    </message>
    <message>
      <source>Add site</source>
      <translation>Lägg till anläggning</translation>
    </message>
    <message>
      <source>Add site…</source>
      <translation>Lägg till anläggning…</translation>
    </message>
    <message>
      <source>Connector {n}</source>
      <translation>Uttag {n}</translation>
    </message>
    <message>
      <source>Double-click to open the station.</source>
      <translation>Dubbelklicka för att öppna stationen.</translation>
    </message>
    <message>
      <source>Fit</source>
      <translation>Anpassa</translation>
    </message>
    <message>
      <source>Floor plans (*.png *.svg)</source>
      <translation>Planritningar (*.png *.svg)</translation>
    </message>
    <message>
      <source>Import floor plan</source>
      <translation>Importera planritning</translation>
    </message>
    <message>
      <source>Import floor plan…</source>
      <translation>Importera planritning…</translation>
    </message>
    <message>
      <source>Level:</source>
      <translation>Plan:</translation>
    </message>
    <message>
      <source>No site yet</source>
      <translation>Ingen anläggning ännu</translation>
    </message>
    <message>
      <source>Not on the plan yet — drag onto the plan</source>
      <translation>Inte på planritningen ännu — dra den till planritningen</translation>
    </message>
    <message>
      <source>Pending approval</source>
      <translation>Väntar på godkännande</translation>
    </message>
    <message>
      <source>Power now: {power}</source>
      <translation>Effekt nu: {power}</translation>
    </message>
    <message>
      <source>Remove site</source>
      <translation>Ta bort anläggning</translation>
    </message>
    <message>
      <source>Remove the site {site} and its floor plan? Its stations stay known to ChargeDesk but are no longer placed on any map.</source>
      <translation>Ta bort anläggningen {site} och dess planritning? Dess stationer förblir kända för ChargeDesk men placeras inte längre på någon karta.</translation>
    </message>
    <message>
      <source>Remove this site</source>
      <translation>Ta bort den här anläggningen</translation>
    </message>
    <message>
      <source>Remove…</source>
      <translation>Ta bort…</translation>
    </message>
    <message>
      <source>Rename site</source>
      <translation>Byt namn på anläggning</translation>
    </message>
    <message>
      <source>Rename this site</source>
      <translation>Byt namn på den här anläggningen</translation>
    </message>
    <message>
      <source>Rename…</source>
      <translation>Byt namn…</translation>
    </message>
    <message>
      <source>Show the whole site (Ctrl+0)</source>
      <translation>Visa hela anläggningen (Ctrl+0)</translation>
    </message>
    <message>
      <source>Site name:</source>
      <translation>Anläggningens namn:</translation>
    </message>
    <message>
      <source>Site:</source>
      <translation>Anläggning:</translation>
    </message>
    <message>
      <source>The file could not be read: {reason}</source>
      <translation>Filen kunde inte läsas: {reason}</translation>
    </message>
    <message>
      <source>The floor plan of this site cannot be drawn; showing a grid.</source>
      <translation>Anläggningens planritning kan inte ritas; ett rutnät visas i stället.</translation>
    </message>
    <message>
      <source>The position was not saved: {reason}</source>
      <translation>Positionen sparades inte: {reason}</translation>
    </message>
    <message>
      <source>Use a PNG or SVG drawing as this site's map</source>
      <translation>Använd en PNG- eller SVG-ritning som karta för anläggningen</translation>
    </message>
    <message>
      <source>Zoom in (Ctrl++)</source>
      <translation>Zooma in (Ctrl++)</translation>
    </message>
    <message>
      <source>Zoom out (Ctrl+−)</source>
      <translation>Zooma ut (Ctrl+−)</translation>
    </message>
    <message>
      <source>e.g. Depot North</source>
      <translation>t.ex. Depå Norr</translation>
    </message>
    <message>
      <source>optional, e.g. Level 2</source>
      <translation>valfritt, t.ex. Plan 2</translation>
    </message>
    <message>
      <source>tag {tag}</source>
      <translation>tagg {tag}</translation>
    </message>
    <message>
      <source>{kwh} kWh this session</source>
      <translation>{kwh} kWh denna laddsession</translation>
    </message>
    <message>
      <source>{kw} kW</source>
      <translation>{kw} kW</translation>
    </message>
    <message>
      <source>{n} connectors</source>
      <translation>{n} uttag</translation>
    </message>
  </context>
  <context>
    <name>StatementPdf</name>
    <message>
      <source>Amount ({currency})</source>
      <translation>Belopp ({currency})</translation>
    </message>
    <message>
      <source>Charging sessions</source>
      <translation>Laddningar</translation>
    </message>
    <message>
      <source>Charging statement {month}</source>
      <translation>Laddningsbesked {month}</translation>
    </message>
    <message>
      <source>Charging, {kwh} kWh</source>
      <translation>Laddning, {kwh} kWh</translation>
    </message>
    <message>
      <source>Currency</source>
      <translation>Valuta</translation>
    </message>
    <message>
      <source>Days</source>
      <translation>Dagar</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>Förare</translation>
    </message>
    <message>
      <source>Duration (h:mm)</source>
      <translation>Tid (h:mm)</translation>
    </message>
    <message>
      <source>Energy (kWh)</source>
      <translation>Energi (kWh)</translation>
    </message>
    <message>
      <source>Fleet</source>
      <translation>Fordonsflotta</translation>
    </message>
    <message>
      <source>Included (kWh)</source>
      <translation>Ingår (kWh)</translation>
    </message>
    <message>
      <source>No charging this month.</source>
      <translation>Ingen laddning denna månad.</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>Plan</source>
      <translation>Abonnemang</translation>
    </message>
    <message>
      <source>Provisional: a session was still charging when this was made.</source>
      <translation>Preliminärt: en laddning pågick fortfarande när detta togs fram.</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>Start</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Subscription fees</source>
      <translation>Abonnemangsavgifter</translation>
    </message>
    <message>
      <source>Summary</source>
      <translation>Sammanfattning</translation>
    </message>
    <message>
      <source>Total, VAT included</source>
      <translation>Totalt inklusive moms</translation>
    </message>
    <message>
      <source>VAT ({currency})</source>
      <translation>Moms ({currency})</translation>
    </message>
    <message>
      <source>VAT {rate} included in {amount}</source>
      <translation>Moms {rate} ingår i {amount}</translation>
    </message>
    <message>
      <source>charging</source>
      <translation>laddar</translation>
    </message>
    <message>
      <source>{active} of {days}</source>
      <translation>{active} av {days}</translation>
    </message>
    <message>
      <source>{first} to {last}, times in {zone}</source>
      <translation>{first} till {last}, tider i {zone}</translation>
    </message>
  </context>
  <context>
    <name>StationActions</name>
    <message>
      <source>Accepted</source>
      <translation>Godkänd</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>Åtgärd</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>Detaljer</translation>
    </message>
    <message>
      <source>No action sent yet in this window.</source>
      <translation>Ingen åtgärd har skickats ännu i det här fönstret.</translation>
    </message>
    <message>
      <source>No answer (timed out)</source>
      <translation>Inget svar (tidsgränsen nåddes)</translation>
    </message>
    <message>
      <source>Not done</source>
      <translation>Inte utförd</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>Resultat</translation>
    </message>
    <message>
      <source>Refused by the station</source>
      <translation>Nekad av stationen</translation>
    </message>
    <message>
      <source>Scheduled: it takes effect when the running session ends.</source>
      <translation>Schemalagd: träder i kraft när den pågående laddsessionen avslutas.</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>Skickad</translation>
    </message>
    <message>
      <source>Station offline</source>
      <translation>Station frånkopplad</translation>
    </message>
    <message>
      <source>Stored; the station applies it after a restart.</source>
      <translation>Sparad; stationen tillämpar den efter en omstart.</translation>
    </message>
    <message>
      <source>The connector is unlocked.</source>
      <translation>Uttaget är upplåst.</translation>
    </message>
    <message>
      <source>The station does not support this.</source>
      <translation>Stationen stöder inte detta.</translation>
    </message>
    <message>
      <source>The station had nothing matching to change (answer: Unknown).</source>
      <translation>Stationen hade inget matchande att ändra (svar: Unknown).</translation>
    </message>
    <message>
      <source>The station has no diagnostics to upload.</source>
      <translation>Stationen har ingen diagnostik att ladda upp.</translation>
    </message>
    <message>
      <source>The station will upload {file}.</source>
      <translation>Stationen kommer att ladda upp {file}.</translation>
    </message>
    <message>
      <source>Waiting for the station…</source>
      <translation>Väntar på stationen…</translation>
    </message>
    <message>
      <source>{n} settings read.</source>
      <translation>{n} inställningar lästa.</translation>
    </message>
  </context>
  <context>
    <name>StationConnectors</name>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Duration</source>
      <translation>Varaktighet</translation>
    </message>
    <message>
      <source>Energy (kWh)</source>
      <translation>Energi (kWh)</translation>
    </message>
    <message>
      <source>Error code: {code}</source>
      <translation>Felkod: {code}</translation>
    </message>
    <message>
      <source>Id tag</source>
      <translation>Id-tagg</translation>
    </message>
    <message>
      <source>Power (kW)</source>
      <translation>Effekt (kW)</translation>
    </message>
    <message>
      <source>Session</source>
      <translation>Laddsession</translation>
    </message>
    <message>
      <source>Since</source>
      <translation>Sedan</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Status</translation>
    </message>
  </context>
  <context>
    <name>StationControls</name>
    <message>
      <source>Ask the station to send a message now.</source>
      <translation>Be stationen skicka ett meddelande nu.</translation>
    </message>
    <message>
      <source>Clear power limit</source>
      <translation>Ta bort effektgräns</translation>
    </message>
    <message>
      <source>Clear power limit…</source>
      <translation>Ta bort effektgräns…</translation>
    </message>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Connector {n}</source>
      <translation>Uttag {n}</translation>
    </message>
    <message>
      <source>Get diagnostics</source>
      <translation>Hämta diagnostik</translation>
    </message>
    <message>
      <source>Get diagnostics…</source>
      <translation>Hämta diagnostik…</translation>
    </message>
    <message>
      <source>Give the station a new strong password (security profile 1).</source>
      <translation>Ge stationen ett nytt starkt lösenord (säkerhetsprofil 1).</translation>
    </message>
    <message>
      <source>Hard reset</source>
      <translation>Hård omstart</translation>
    </message>
    <message>
      <source>Hard-reset {station}? It restarts at once, like a power cycle; running sessions are cut off.</source>
      <translation>Göra en hård omstart av {station}? Den startar om direkt, som vid strömbrott; pågående laddsessioner bryts.</translation>
    </message>
    <message>
      <source>Have the station download and install new firmware.</source>
      <translation>Låt stationen hämta och installera ny firmware.</translation>
    </message>
    <message>
      <source>Have the station upload its diagnostics file.</source>
      <translation>Låt stationen ladda upp sin diagnostikfil.</translation>
    </message>
    <message>
      <source>Let drivers use every connector of the station.</source>
      <translation>Låt förare använda alla stationens uttag.</translation>
    </message>
    <message>
      <source>Let drivers use this connector again.</source>
      <translation>Låt förare använda det här uttaget igen.</translation>
    </message>
    <message>
      <source>Limit the power of the station or of its sessions.</source>
      <translation>Begränsa effekten för stationen eller dess laddsessioner.</translation>
    </message>
    <message>
      <source>Make available</source>
      <translation>Gör tillgänglig</translation>
    </message>
    <message>
      <source>Make connector {n} available</source>
      <translation>Gör uttag {n} tillgängligt</translation>
    </message>
    <message>
      <source>Make connector {n} unavailable</source>
      <translation>Gör uttag {n} otillgängligt</translation>
    </message>
    <message>
      <source>Make station available</source>
      <translation>Gör stationen tillgänglig</translation>
    </message>
    <message>
      <source>Make station unavailable</source>
      <translation>Gör stationen otillgänglig</translation>
    </message>
    <message>
      <source>Make unavailable</source>
      <translation>Gör otillgänglig</translation>
    </message>
    <message>
      <source>Password…</source>
      <translation>Lösenord…</translation>
    </message>
    <message>
      <source>Release the cable; a running session is stopped.</source>
      <translation>Frigör kabeln; en pågående laddsession stoppas.</translation>
    </message>
    <message>
      <source>Remote start on connector {n} for {tag}</source>
      <translation>Fjärrstart på uttag {n} för {tag}</translation>
    </message>
    <message>
      <source>Remote start…</source>
      <translation>Fjärrstart…</translation>
    </message>
    <message>
      <source>Remote stop</source>
      <translation>Fjärrstopp</translation>
    </message>
    <message>
      <source>Remote stop of session {tx}</source>
      <translation>Fjärrstopp av laddsession {tx}</translation>
    </message>
    <message>
      <source>Remove a power limit set earlier.</source>
      <translation>Ta bort en tidigare inställd effektgräns.</translation>
    </message>
    <message>
      <source>Restart the station like a power cycle.</source>
      <translation>Starta om stationen som vid strömbrott.</translation>
    </message>
    <message>
      <source>Restart the station's software gracefully.</source>
      <translation>Starta om stationens programvara på ett kontrollerat sätt.</translation>
    </message>
    <message>
      <source>Set power limit {value:g} {unit}</source>
      <translation>Ställ in effektgräns {value:g} {unit}</translation>
    </message>
    <message>
      <source>Set power limit…</source>
      <translation>Ställ in effektgräns…</translation>
    </message>
    <message>
      <source>Soft reset</source>
      <translation>Mjuk omstart</translation>
    </message>
    <message>
      <source>Soft-reset {station}? Running sessions are stopped, then the station restarts and is offline for a short while.</source>
      <translation>Göra en mjuk omstart av {station}? Pågående laddsessioner stoppas, sedan startar stationen om och är frånkopplad en kort stund.</translation>
    </message>
    <message>
      <source>Start a session for an id tag on a connector.</source>
      <translation>Starta en laddsession för en id-tagg på ett uttag.</translation>
    </message>
    <message>
      <source>Stop session</source>
      <translation>Stoppa laddsession</translation>
    </message>
    <message>
      <source>Stop session {tx} of tag {tag} on connector {n} of {station}? The driver stops being charged.</source>
      <translation>Stoppa laddsession {tx} för tagg {tag} på uttag {n} på {station}? Laddningen för föraren avbryts.</translation>
    </message>
    <message>
      <source>Stop the session running on this connector.</source>
      <translation>Stoppa laddsessionen som pågår på det här uttaget.</translation>
    </message>
    <message>
      <source>Take all of {station} out of use? No new session can start; a running session finishes first.</source>
      <translation>Ta hela {station} ur bruk? Ingen ny laddsession kan starta; en pågående laddsession avslutas först.</translation>
    </message>
    <message>
      <source>Take the whole station out of use.</source>
      <translation>Ta hela stationen ur bruk.</translation>
    </message>
    <message>
      <source>Take this connector out of use.</source>
      <translation>Ta det här uttaget ur bruk.</translation>
    </message>
    <message>
      <source>Trigger message…</source>
      <translation>Begär meddelande…</translation>
    </message>
    <message>
      <source>Trigger {message}</source>
      <translation>Begär {message}</translation>
    </message>
    <message>
      <source>Unlock</source>
      <translation>Lås upp</translation>
    </message>
    <message>
      <source>Unlock connector</source>
      <translation>Lås upp uttag</translation>
    </message>
    <message>
      <source>Unlock connector {n}</source>
      <translation>Lås upp uttag {n}</translation>
    </message>
    <message>
      <source>Unlock connector {n} of {station}? A running session on it is stopped and the cable can be pulled out.</source>
      <translation>Lås upp uttag {n} på {station}? En pågående laddsession på uttaget stoppas och kabeln kan dras ut.</translation>
    </message>
    <message>
      <source>Update firmware</source>
      <translation>Uppdatera firmware</translation>
    </message>
    <message>
      <source>Update firmware…</source>
      <translation>Uppdatera firmware…</translation>
    </message>
    <message>
      <source>Waiting for the station's answer…</source>
      <translation>Väntar på svar från stationen…</translation>
    </message>
    <message>
      <source>Whole station</source>
      <translation>Hela stationen</translation>
    </message>
  </context>
  <context>
    <name>StationCredentialsDialog</name>
    <message>
      <source>&lt;b&gt;Rotate&lt;/b&gt; sends the station a new generated password (ChangeConfiguration AuthorizationKey). Its current password keeps working until the station accepts the new one.&lt;br&gt;&lt;b&gt;New password to type in&lt;/b&gt; is for a charger being set up or one that lost its settings: the current password stops working at once.</source>
      <translation>&lt;b&gt;Byt lösenord&lt;/b&gt; skickar ett nytt genererat lösenord till stationen (ChangeConfiguration AuthorizationKey). Det nuvarande lösenordet fungerar tills stationen har godkänt det nya.&lt;br&gt;&lt;b&gt;Nytt lösenord att skriva in&lt;/b&gt; är till för en laddare som håller på att installeras eller som har förlorat sina inställningar: det nuvarande lösenordet slutar fungera direkt.</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>Kopiera</translation>
    </message>
    <message>
      <source>Enter this password in the charger's OCPP settings (Basic authentication password). It is shown &lt;b&gt;only now&lt;/b&gt;.</source>
      <translation>Ange det här lösenordet i laddarens OCPP-inställningar (lösenord för Basic-autentisering). Det visas &lt;b&gt;bara nu&lt;/b&gt;.</translation>
    </message>
    <message>
      <source>Make a new password</source>
      <translation>Skapa ett nytt lösenord</translation>
    </message>
    <message>
      <source>Making a new password…</source>
      <translation>Skapar ett nytt lösenord…</translation>
    </message>
    <message>
      <source>New password</source>
      <translation>Nytt lösenord</translation>
    </message>
    <message>
      <source>New password to type in…</source>
      <translation>Nytt lösenord att skriva in…</translation>
    </message>
    <message>
      <source>Password of {station}</source>
      <translation>Lösenord för {station}</translation>
    </message>
    <message>
      <source>Rotate password</source>
      <translation>Byt lösenord</translation>
    </message>
    <message>
      <source>Sending a new password to {station}…</source>
      <translation>Skickar ett nytt lösenord till {station}…</translation>
    </message>
    <message>
      <source>The station accepted the new password and uses it from now on. Shown &lt;b&gt;only now&lt;/b&gt;, in case the charger ever needs it typed in again.</source>
      <translation>Stationen godkände det nya lösenordet och använder det från och med nu. Det visas &lt;b&gt;bara nu&lt;/b&gt;, ifall det någon gång behöver skrivas in i laddaren igen.</translation>
    </message>
    <message>
      <source>The station accepted the new password; it uses it after its next restart. Shown &lt;b&gt;only now&lt;/b&gt;, in case the charger ever needs it typed in again.</source>
      <translation>Stationen godkände det nya lösenordet; den använder det efter nästa omstart. Det visas &lt;b&gt;bara nu&lt;/b&gt;, ifall det någon gång behöver skrivas in i laddaren igen.</translation>
    </message>
    <message>
      <source>The station is offline</source>
      <translation>Stationen är frånkopplad</translation>
    </message>
    <message>
      <source>{problem} The current password stays in force.</source>
      <translation>{problem} Det nuvarande lösenordet gäller fortfarande.</translation>
    </message>
    <message>
      <source>{station} must then connect with the new password: until someone types it into the charger, the charger cannot connect. Continue?</source>
      <translation>{station} måste sedan ansluta med det nya lösenordet: tills någon skriver in det i laddaren kan laddaren inte ansluta. Fortsätta?</translation>
    </message>
  </context>
  <context>
    <name>StationDetail</name>
    <message>
      <source>Actions sent</source>
      <translation>Skickade åtgärder</translation>
    </message>
    <message>
      <source>Close {station} (Ctrl+W)</source>
      <translation>Stäng {station} (Ctrl+W)</translation>
    </message>
    <message>
      <source>Configuration</source>
      <translation>Konfiguration</translation>
    </message>
    <message>
      <source>Connectors</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Recent events</source>
      <translation>Senaste händelser</translation>
    </message>
    <message>
      <source>Station {station}</source>
      <translation>Station {station}</translation>
    </message>
  </context>
  <context>
    <name>StationDialogs</name>
    <message>
      <source>An id tag has at most 20 characters.</source>
      <translation>En id-tagg har högst 20 tecken.</translation>
    </message>
    <message>
      <source>Choose or type an id tag.</source>
      <translation>Välj eller skriv in en id-tagg.</translation>
    </message>
    <message>
      <source>Connector {n}</source>
      <translation>Uttag {n}</translation>
    </message>
    <message>
      <source>Enter the address of the file server.</source>
      <translation>Ange filserverns adress.</translation>
    </message>
    <message>
      <source>The address cannot contain spaces.</source>
      <translation>Adressen får inte innehålla mellanslag.</translation>
    </message>
    <message>
      <source>The address must start with ftp://, ftps://, sftp://, http:// or https://.</source>
      <translation>Adressen måste börja med ftp://, ftps://, sftp://, http:// eller https://.</translation>
    </message>
    <message>
      <source>The address needs a server name after the scheme.</source>
      <translation>Adressen behöver ett servernamn efter schemat.</translation>
    </message>
  </context>
  <context>
    <name>StationEvents</name>
    <message>
      <source>Admission set to {admission}</source>
      <translation>Godkännande satt till {admission}</translation>
    </message>
    <message>
      <source>Booted: {vendor} {model}, firmware {firmware}</source>
      <translation>Startad: {vendor} {model}, firmware {firmware}</translation>
    </message>
    <message>
      <source>Connected from {address} ({protocol})</source>
      <translation>Ansluten från {address} ({protocol})</translation>
    </message>
    <message>
      <source>Connection refused: {reason}</source>
      <translation>Anslutning nekad: {reason}</translation>
    </message>
    <message>
      <source>Connector {n}</source>
      <translation>Uttag {n}</translation>
    </message>
    <message>
      <source>Diagnostics: {status}</source>
      <translation>Diagnostik: {status}</translation>
    </message>
    <message>
      <source>Disconnected: {reason}</source>
      <translation>Anslutningen bröts: {reason}</translation>
    </message>
    <message>
      <source>Event</source>
      <translation>Händelse</translation>
    </message>
    <message>
      <source>Firmware: {status}</source>
      <translation>Firmware: {status}</translation>
    </message>
    <message>
      <source>Offline: {reason}</source>
      <translation>Frånkopplad: {reason}</translation>
    </message>
    <message>
      <source>Session {id} ended on connector {n}: {kwh} kWh</source>
      <translation>Laddsession {id} avslutad på uttag {n}: {kwh} kWh</translation>
    </message>
    <message>
      <source>Session {id} started on connector {n} for tag {tag}</source>
      <translation>Laddsession {id} startad på uttag {n} för tagg {tag}</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Tid</translation>
    </message>
    <message>
      <source>Waiting for approval</source>
      <translation>Väntar på godkännande</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>okänd</translation>
    </message>
    <message>
      <source>{action}: {outcome}</source>
      <translation>{action}: {outcome}</translation>
    </message>
  </context>
  <context>
    <name>StationIdentity</name>
    <message>
      <source>Accepted</source>
      <translation>Godkänd</translation>
    </message>
    <message>
      <source>Admission</source>
      <translation>Godkännande</translation>
    </message>
    <message>
      <source>Charge box serial</source>
      <translation>Laddboxens serienummer</translation>
    </message>
    <message>
      <source>Connection</source>
      <translation>Anslutning</translation>
    </message>
    <message>
      <source>Diagnostics</source>
      <translation>Diagnostik</translation>
    </message>
    <message>
      <source>Firmware</source>
      <translation>Firmware</translation>
    </message>
    <message>
      <source>Firmware update</source>
      <translation>Firmwareuppdatering</translation>
    </message>
    <message>
      <source>Has not booted yet</source>
      <translation>Har inte startat ännu</translation>
    </message>
    <message>
      <source>Identity</source>
      <translation>Identitet</translation>
    </message>
    <message>
      <source>Last boot</source>
      <translation>Senaste start</translation>
    </message>
    <message>
      <source>Last message {time}</source>
      <translation>Senaste meddelande {time}</translation>
    </message>
    <message>
      <source>Meter</source>
      <translation>Elmätare</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>Modell</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>Frånkopplad</translation>
    </message>
    <message>
      <source>Offline, last seen {time}</source>
      <translation>Frånkopplad, senast sedd {time}</translation>
    </message>
    <message>
      <source>Online</source>
      <translation>Ansluten</translation>
    </message>
    <message>
      <source>Online · pending approval</source>
      <translation>Ansluten · väntar på godkännande</translation>
    </message>
    <message>
      <source>Pending approval</source>
      <translation>Väntar på godkännande</translation>
    </message>
    <message>
      <source>Protocol</source>
      <translation>Protokoll</translation>
    </message>
    <message>
      <source>Rejected</source>
      <translation>Avvisad</translation>
    </message>
    <message>
      <source>Serial number</source>
      <translation>Serienummer</translation>
    </message>
    <message>
      <source>Unknown station</source>
      <translation>Okänd station</translation>
    </message>
    <message>
      <source>Vendor</source>
      <translation>Tillverkare</translation>
    </message>
    <message>
      <source>firmware {v}</source>
      <translation>firmware {v}</translation>
    </message>
  </context>
  <context>
    <name>StationRules</name>
    <message>
      <source>Connector {n} is already available for use.</source>
      <translation>Uttag {n} är redan tillgängligt.</translation>
    </message>
    <message>
      <source>Connector {n} is already unavailable.</source>
      <translation>Uttag {n} är redan otillgängligt.</translation>
    </message>
    <message>
      <source>No connector can start a session now (all busy, faulted or unavailable).</source>
      <translation>Inget uttag kan starta en laddsession nu (alla är upptagna, har fel eller är otillgängliga).</translation>
    </message>
    <message>
      <source>No session is running on connector {n}.</source>
      <translation>Ingen laddsession pågår på uttag {n}.</translation>
    </message>
    <message>
      <source>Select a connector in the table first.</source>
      <translation>Välj ett uttag i tabellen först.</translation>
    </message>
    <message>
      <source>The station is already unavailable.</source>
      <translation>Stationen är redan otillgänglig.</translation>
    </message>
    <message>
      <source>The station is offline. Stored data is shown; actions need a connection.</source>
      <translation>Stationen är frånkopplad. Sparade data visas; åtgärder kräver en anslutning.</translation>
    </message>
    <message>
      <source>The station is rejected. Accept it under Pending stations to control it.</source>
      <translation>Stationen är avvisad. Godkänn den under Väntande stationer för att styra den.</translation>
    </message>
    <message>
      <source>The station is waiting for approval: only its configuration can be read or changed until it is accepted.</source>
      <translation>Stationen väntar på godkännande: endast dess konfiguration kan läsas eller ändras tills den har godkänts.</translation>
    </message>
    <message>
      <source>This station is not known to the central system.</source>
      <translation>Stationen är okänd för centralsystemet.</translation>
    </message>
  </context>
  <context>
    <name>Status</name>
    <message>
      <source>Available</source>
      <translation>Ledig</translation>
    </message>
    <message>
      <source>Charging</source>
      <translation>Laddar</translation>
    </message>
    <message>
      <source>Faulted</source>
      <translation>Fel</translation>
    </message>
    <message>
      <source>Finishing</source>
      <translation>Avslutar</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>Frånkopplad</translation>
    </message>
    <message>
      <source>Paused by charger</source>
      <translation>Pausad av laddaren</translation>
    </message>
    <message>
      <source>Paused by vehicle</source>
      <translation>Pausad av fordonet</translation>
    </message>
    <message>
      <source>Pending approval</source>
      <translation>Väntar på godkännande</translation>
    </message>
    <message>
      <source>Preparing</source>
      <translation>Förbereder</translation>
    </message>
    <message>
      <source>Reserved</source>
      <translation>Reserverad</translation>
    </message>
    <message>
      <source>Unavailable</source>
      <translation>Ej tillgänglig</translation>
    </message>
    <message>
      <source>Unknown</source>
      <translation>Okänd</translation>
    </message>
  </context>
  <context>
    <name>StatusGrid</name>
    <message>
      <source>All sites</source>
      <translation>Alla anläggningar</translation>
    </message>
    <message>
      <source>All statuses</source>
      <translation>Alla statusar</translation>
    </message>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Cost so far</source>
      <translation>Kostnad hittills</translation>
    </message>
    <message>
      <source>Error code: {code}</source>
      <translation>Felkod: {code}</translation>
    </message>
    <message>
      <source>Firmware</source>
      <translation>Firmware</translation>
    </message>
    <message>
      <source>Id tag / driver</source>
      <translation>Id-tagg / förare</translation>
    </message>
    <message>
      <source>Last message</source>
      <translation>Senaste meddelande</translation>
    </message>
    <message>
      <source>Power (kW)</source>
      <translation>Effekt (kW)</translation>
    </message>
    <message>
      <source>Search station, tag, status…</source>
      <translation>Sök station, tagg, status…</translation>
    </message>
    <message>
      <source>Session duration</source>
      <translation>Laddsessionens längd</translation>
    </message>
    <message>
      <source>Session energy (kWh)</source>
      <translation>Laddsessionens energi (kWh)</translation>
    </message>
    <message>
      <source>Show the stations placed on one site's map</source>
      <translation>Visa stationerna som är placerade på en anläggnings karta</translation>
    </message>
    <message>
      <source>Since</source>
      <translation>Sedan</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Status</translation>
    </message>
  </context>
  <context>
    <name>Subscriptions</name>
    <message>
      <source>% off energy and time</source>
      <translation>% rabatt på energi och tid</translation>
    </message>
    <message>
      <source>&amp;Archive…</source>
      <translation>&amp;Arkivera…</translation>
    </message>
    <message>
      <source>&amp;Edit…</source>
      <translation>&amp;Redigera…</translation>
    </message>
    <message>
      <source>&amp;New plan…</source>
      <translation>&amp;Nytt abonnemang…</translation>
    </message>
    <message>
      <source>&amp;Pause…</source>
      <translation>&amp;Pausa…</translation>
    </message>
    <message>
      <source>&amp;Restore</source>
      <translation>&amp;Återställ</translation>
    </message>
    <message>
      <source>&amp;Resume…</source>
      <translation>&amp;Återuppta…</translation>
    </message>
    <message>
      <source>A plan is a monthly fee that can include energy and change the price of each session. Prices include VAT. A month the driver is subscribed only part of costs and includes its share.</source>
      <translation>Ett abonnemang är en månadsavgift som kan inkludera energi och ändra priset på varje laddning. Priserna är inklusive moms. En månad då föraren bara har abonnemanget en del av tiden kostar och inkluderar sin andel.</translation>
    </message>
    <message>
      <source>A plan is what a driver pays each month, what energy it includes and how it changes the price of their sessions. Its prices are fixed once a driver subscribed; for new prices, make a new plan.</source>
      <translation>Ett abonnemang är vad en förare betalar varje månad, vilken energi som ingår och hur det ändrar priset på förarens laddningar. Priserna ligger fast så snart en förare har tecknat det; gör ett nytt abonnemang för nya priser.</translation>
    </message>
    <message>
      <source>A plan needs a name.</source>
      <translation>Abonnemanget behöver ett namn.</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>Aktivt</translation>
    </message>
    <message>
      <source>Active again on:</source>
      <translation>Aktivt igen från:</translation>
    </message>
    <message>
      <source>Add &amp;member…</source>
      <translation>Lägg till &amp;medlem…</translation>
    </message>
    <message>
      <source>Add a member to “{plan}”</source>
      <translation>Lägg till en medlem i ”{plan}”</translation>
    </message>
    <message>
      <source>Add member</source>
      <translation>Lägg till medlem</translation>
    </message>
    <message>
      <source>Archive plan</source>
      <translation>Arkivera abonnemang</translation>
    </message>
    <message>
      <source>Archive “{name}”? Nobody can subscribe to it any more; its past members and statements keep it.</source>
      <translation>Arkivera ”{name}”? Ingen kan teckna det längre; tidigare medlemmar och laddningsbesked behåller det.</translation>
    </message>
    <message>
      <source>At most {n} characters.</source>
      <translation>Högst {n} tecken.</translation>
    </message>
    <message>
      <source>At most {n} kWh.</source>
      <translation>Högst {n} kWh.</translation>
    </message>
    <message>
      <source>Choose a driver from the list.</source>
      <translation>Välj en förare i listan.</translation>
    </message>
    <message>
      <source>Create plan</source>
      <translation>Skapa abonnemang</translation>
    </message>
    <message>
      <source>Discount:</source>
      <translation>Rabatt:</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>Förare</translation>
    </message>
    <message>
      <source>Driver:</source>
      <translation>Förare:</translation>
    </message>
    <message>
      <source>Drivers have subscribed, so the prices are fixed: months already charged would change with them. Make a new plan for new prices.</source>
      <translation>Förare har tecknat abonnemanget, så priserna ligger fast: redan debiterade månader skulle annars ändras. Gör ett nytt abonnemang för nya priser.</translation>
    </message>
    <message>
      <source>E&amp;nd…</source>
      <translation>A&amp;vsluta…</translation>
    </message>
    <message>
      <source>Edit plan “{name}”</source>
      <translation>Redigera abonnemanget ”{name}”</translation>
    </message>
    <message>
      <source>End subscription</source>
      <translation>Avsluta abonnemang</translation>
    </message>
    <message>
      <source>Ended</source>
      <translation>Avslutat</translation>
    </message>
    <message>
      <source>Ends:</source>
      <translation>Slutar:</translation>
    </message>
    <message>
      <source>First day:</source>
      <translation>Första dag:</translation>
    </message>
    <message>
      <source>First paused day:</source>
      <translation>Första pausdag:</translation>
    </message>
    <message>
      <source>Fleet</source>
      <translation>Fordonsflotta</translation>
    </message>
    <message>
      <source>From</source>
      <translation>Från</translation>
    </message>
    <message>
      <source>From 0 to 100 %.</source>
      <translation>Från 0 till 100 %.</translation>
    </message>
    <message>
      <source>Included</source>
      <translation>Ingår</translation>
    </message>
    <message>
      <source>Included energy:</source>
      <translation>Inkluderad energi:</translation>
    </message>
    <message>
      <source>It is not paused on that day (paused: {pauses}).</source>
      <translation>Det är inte pausat den dagen (pausat: {pauses}).</translation>
    </message>
    <message>
      <source>It starts on {first}: it cannot end before that.</source>
      <translation>Det börjar {first}: det kan inte sluta före det.</translation>
    </message>
    <message>
      <source>Last day:</source>
      <translation>Sista dag:</translation>
    </message>
    <message>
      <source>Members</source>
      <translation>Medlemmar</translation>
    </message>
    <message>
      <source>Members of “{plan}”</source>
      <translation>Medlemmar i ”{plan}”</translation>
    </message>
    <message>
      <source>Monthly fee</source>
      <translation>Månadsavgift</translation>
    </message>
    <message>
      <source>Monthly fee:</source>
      <translation>Månadsavgift:</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>Namn:</translation>
    </message>
    <message>
      <source>New plan</source>
      <translation>Nytt abonnemang</translation>
    </message>
    <message>
      <source>None ticked: the plan applies at every site.</source>
      <translation>Ingen markerad: abonnemanget gäller på alla anläggningar.</translation>
    </message>
    <message>
      <source>Not ticked: no end date.</source>
      <translation>Inte markerad: inget slutdatum.</translation>
    </message>
    <message>
      <source>Not ticked: paused until it is resumed.</source>
      <translation>Inte markerad: pausat tills det återupptas.</translation>
    </message>
    <message>
      <source>Pause subscription</source>
      <translation>Pausa abonnemang</translation>
    </message>
    <message>
      <source>Paused to {last}</source>
      <translation>Pausat till {last}</translation>
    </message>
    <message>
      <source>Paused until resumed</source>
      <translation>Pausat tills vidare</translation>
    </message>
    <message>
      <source>Pauses</source>
      <translation>Pauser</translation>
    </message>
    <message>
      <source>Pick a day the subscription runs: {period}.</source>
      <translation>Välj en dag då abonnemanget löper: {period}.</translation>
    </message>
    <message>
      <source>Plan</source>
      <translation>Abonnemang</translation>
    </message>
    <message>
      <source>Plan price or discount</source>
      <translation>Abonnemangspris eller rabatt</translation>
    </message>
    <message>
      <source>Plan “{name}” archived.</source>
      <translation>Abonnemanget ”{name}” är arkiverat.</translation>
    </message>
    <message>
      <source>Plan “{name}” created.</source>
      <translation>Abonnemanget ”{name}” är skapat.</translation>
    </message>
    <message>
      <source>Plan “{name}” restored.</source>
      <translation>Abonnemanget ”{name}” är återställt.</translation>
    </message>
    <message>
      <source>Plan “{name}” saved.</source>
      <translation>Abonnemanget ”{name}” är sparat.</translation>
    </message>
    <message>
      <source>Plans</source>
      <translation>Abonnemang</translation>
    </message>
    <message>
      <source>Price per kWh:</source>
      <translation>Pris per kWh:</translation>
    </message>
    <message>
      <source>Required.</source>
      <translation>Måste fyllas i.</translation>
    </message>
    <message>
      <source>Resume subscription</source>
      <translation>Återuppta abonnemang</translation>
    </message>
    <message>
      <source>Save plan</source>
      <translation>Spara abonnemang</translation>
    </message>
    <message>
      <source>Show archived</source>
      <translation>Visa arkiverade</translation>
    </message>
    <message>
      <source>Show ended</source>
      <translation>Visa avslutade</translation>
    </message>
    <message>
      <source>Sites</source>
      <translation>Anläggningar</translation>
    </message>
    <message>
      <source>Sites:</source>
      <translation>Anläggningar:</translation>
    </message>
    <message>
      <source>Starts {first}</source>
      <translation>Börjar {first}</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>That is more than any plan costs: check the decimal point.</source>
      <translation>Det är mer än något abonnemang kostar: kontrollera decimaltecknet.</translation>
    </message>
    <message>
      <source>The driver pays the plan's fee from the first day, pro-rated in a month they are subscribed only part of. A driver has one subscription on any day.</source>
      <translation>Föraren betalar abonnemangets avgift från första dagen, proportionellt en månad då abonnemanget bara gäller en del av tiden. En förare har ett abonnemang per dag.</translation>
    </message>
    <message>
      <source>The last day cannot come before the first.</source>
      <translation>Sista dagen kan inte komma före den första.</translation>
    </message>
    <message>
      <source>The last paused day cannot come before the first.</source>
      <translation>Sista pausdagen kan inte komma före den första.</translation>
    </message>
    <message>
      <source>The subscription ends on {last}; pick that day or earlier.</source>
      <translation>Abonnemanget slutar {last}; välj den dagen eller en tidigare.</translation>
    </message>
    <message>
      <source>The subscription runs {period}.</source>
      <translation>Abonnemanget löper {period}.</translation>
    </message>
    <message>
      <source>There is a plan called “{name}” already.</source>
      <translation>Det finns redan ett abonnemang som heter ”{name}”.</translation>
    </message>
    <message>
      <source>This overlaps the pause {pause}.</source>
      <translation>Det överlappar pausen {pause}.</translation>
    </message>
    <message>
      <source>To</source>
      <translation>Till</translation>
    </message>
    <message>
      <source>Until:</source>
      <translation>Till:</translation>
    </message>
    <message>
      <source>VAT:</source>
      <translation>Moms:</translation>
    </message>
    <message>
      <source>While paused, {driver} pays no fee for “{plan}”, has no included energy and charges at the tariff's prices.</source>
      <translation>Under pausen betalar {driver} ingen avgift för ”{plan}”, har ingen inkluderad energi och laddar till taxans priser.</translation>
    </message>
    <message>
      <source>Zero or more.</source>
      <translation>Noll eller mer.</translation>
    </message>
    <message>
      <source>after</source>
      <translation>efter</translation>
    </message>
    <message>
      <source>empty: none</source>
      <translation>tomt: ingen</translation>
    </message>
    <message>
      <source>empty: the tariff's energy price</source>
      <translation>tomt: taxans energipris</translation>
    </message>
    <message>
      <source>every site</source>
      <translation>alla anläggningar</translation>
    </message>
    <message>
      <source>for example 149 or 149,00</source>
      <translation>till exempel 149 eller 149,00</translation>
    </message>
    <message>
      <source>from {first} until resumed</source>
      <translation>från {first} tills vidare</translation>
    </message>
    <message>
      <source>from {first}, with no end date</source>
      <translation>från {first}, utan slutdatum</translation>
    </message>
    <message>
      <source>kWh per month</source>
      <translation>kWh per månad</translation>
    </message>
    <message>
      <source>never</source>
      <translation>aldrig</translation>
    </message>
    <message>
      <source>no end date</source>
      <translation>tills vidare</translation>
    </message>
    <message>
      <source>none</source>
      <translation>ingen</translation>
    </message>
    <message>
      <source>the end of</source>
      <translation>och med</translation>
    </message>
    <message>
      <source>the tariff's prices</source>
      <translation>taxans priser</translation>
    </message>
    <message>
      <source>{amount} / month</source>
      <translation>{amount} / månad</translation>
    </message>
    <message>
      <source>{currency} per month</source>
      <translation>{currency} per månad</translation>
    </message>
    <message>
      <source>{currency}/kWh</source>
      <translation>{currency}/kWh</translation>
    </message>
    <message>
      <source>{driver} added to “{plan}”.</source>
      <translation>{driver} är tillagd i ”{plan}”.</translation>
    </message>
    <message>
      <source>{driver} already has “{plan}” {period}; end it first, or start after it.</source>
      <translation>{driver} har redan ”{plan}” {period}; avsluta det först, eller börja efter det.</translation>
    </message>
    <message>
      <source>{driver} is on “{plan}” again from this day: fee, energy and prices.</source>
      <translation>{driver} har ”{plan}” igen från den här dagen: avgift, energi och priser.</translation>
    </message>
    <message>
      <source>{driver} pays for “{plan}” up to and including the last day. Sessions after it are charged at the tariff's prices.</source>
      <translation>{driver} betalar för ”{plan}” till och med sista dagen. Laddningar efter det debiteras till taxans priser.</translation>
    </message>
    <message>
      <source>{driver}'s subscription ended.</source>
      <translation>Abonnemanget för {driver} är avslutat.</translation>
    </message>
    <message>
      <source>{driver}'s subscription paused.</source>
      <translation>Abonnemanget för {driver} är pausat.</translation>
    </message>
    <message>
      <source>{driver}'s subscription resumed.</source>
      <translation>Abonnemanget för {driver} är återupptaget.</translation>
    </message>
    <message>
      <source>{first} to {last}</source>
      <translation>{first} till {last}</translation>
    </message>
    <message>
      <source>{kwh} kWh</source>
      <translation>{kwh} kWh</translation>
    </message>
    <message>
      <source>{name} (archived)</source>
      <translation>{name} (arkiverat)</translation>
    </message>
    <message>
      <source>{percent} % off charging</source>
      <translation>{percent} % rabatt på laddning</translation>
    </message>
    <message>
      <source>{price}/kWh instead of the tariff's</source>
      <translation>{price}/kWh i stället för taxans</translation>
    </message>
  </context>
  <context>
    <name>TagImport</name>
    <message>
      <source>(none)</source>
      <translation>(inget)</translation>
    </message>
    <message>
      <source>All rows</source>
      <translation>Alla rader</translation>
    </message>
    <message>
      <source>CSV files (*.csv *.txt);;All files (*)</source>
      <translation>CSV-filer (*.csv *.txt);;Alla filer (*)</translation>
    </message>
    <message>
      <source>CSV for spreadsheets in Swedish, semicolon-separated (*.csv)</source>
      <translation>CSV för kalkylprogram på svenska, semikolonseparerad (*.csv)</translation>
    </message>
    <message>
      <source>CSV, comma-separated (*.csv)</source>
      <translation>CSV, kommaseparerad (*.csv)</translation>
    </message>
    <message>
      <source>Changed</source>
      <translation>Ändrad</translation>
    </message>
    <message>
      <source>Choose file…</source>
      <translation>Välj fil…</translation>
    </message>
    <message>
      <source>Comparing the file with the tags…</source>
      <translation>Jämför filen med taggarna…</translation>
    </message>
    <message>
      <source>Driver</source>
      <translation>Förare</translation>
    </message>
    <message>
      <source>Duplicate</source>
      <translation>Dubblett</translation>
    </message>
    <message>
      <source>Export tags and drivers</source>
      <translation>Exportera taggar och förare</translation>
    </message>
    <message>
      <source>File:</source>
      <translation>Fil:</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>Importera</translation>
    </message>
    <message>
      <source>Import tags and drivers</source>
      <translation>Importera taggar och förare</translation>
    </message>
    <message>
      <source>Imported: {tags_added} tags added and {tags_changed} changed, {drivers_added} drivers added and {drivers_changed} changed, {fleets_added} fleets added.</source>
      <translation>Importerat: {tags_added} taggar tillagda och {tags_changed} ändrade, {drivers_added} förare tillagda och {drivers_changed} ändrade, {fleets_added} fordonsflottor tillagda.</translation>
    </message>
    <message>
      <source>Importing…</source>
      <translation>Importerar…</translation>
    </message>
    <message>
      <source>Invalid</source>
      <translation>Ogiltig</translation>
    </message>
    <message>
      <source>Line</source>
      <translation>Rad</translation>
    </message>
    <message>
      <source>New</source>
      <translation>Ny</translation>
    </message>
    <message>
      <source>New drivers: {names}.</source>
      <translation>Nya förare: {names}.</translation>
    </message>
    <message>
      <source>New fleets: {names}.</source>
      <translation>Nya fordonsflottor: {names}.</translation>
    </message>
    <message>
      <source>No file chosen.</source>
      <translation>Ingen fil vald.</translation>
    </message>
    <message>
      <source>Nothing can be imported while the file has invalid or duplicate rows. Correct them in the file, save it and press Preview again.</source>
      <translation>Inget kan importeras så länge filen har ogiltiga eller dubbla rader. Rätta dem i filen, spara den och tryck på Förhandsgranska igen.</translation>
    </message>
    <message>
      <source>Nothing to import: every row is as stored.</source>
      <translation>Inget att importera: alla rader stämmer med det som redan är sparat.</translation>
    </message>
    <message>
      <source>One row per tag, with its driver. Nothing is written until you press Import; then every row is written at once, or none. Rows with problems must be corrected in the file first.</source>
      <translation>En rad per tagg, med taggens förare. Inget sparas förrän du trycker på Importera; då sparas alla rader på en gång, eller ingen. Rader med problem måste rättas i filen först.</translation>
    </message>
    <message>
      <source>Press Import to write these changes.</source>
      <translation>Tryck på Importera för att spara ändringarna.</translation>
    </message>
    <message>
      <source>Preview again</source>
      <translation>Förhandsgranska igen</translation>
    </message>
    <message>
      <source>Read the file again and compare it with the tags now</source>
      <translation>Läs filen igen och jämför den med taggarna som de är nu</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>Resultat</translation>
    </message>
    <message>
      <source>Rows to review (all but unchanged)</source>
      <translation>Rader att granska (alla utom oförändrade)</translation>
    </message>
    <message>
      <source>Saved {n} tags to {path}.</source>
      <translation>Sparade {n} taggar i {path}.</translation>
    </message>
    <message>
      <source>Show:</source>
      <translation>Visa:</translation>
    </message>
    <message>
      <source>Tag</source>
      <translation>Tagg</translation>
    </message>
    <message>
      <source>The file could not be read: {reason}</source>
      <translation>Filen kunde inte läsas: {reason}</translation>
    </message>
    <message>
      <source>The file could not be written: {reason}</source>
      <translation>Filen kunde inte sparas: {reason}</translation>
    </message>
    <message>
      <source>Unchanged</source>
      <translation>Oförändrad</translation>
    </message>
    <message>
      <source>What happens</source>
      <translation>Vad som händer</translation>
    </message>
    <message>
      <source>and {n} more</source>
      <translation>och {n} till</translation>
    </message>
    <message>
      <source>new tag</source>
      <translation>ny tagg</translation>
    </message>
    <message>
      <source>{field}: {old} → {new}</source>
      <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
      <source>{n} changed</source>
      <translation>{n} ändrade</translation>
    </message>
    <message>
      <source>{n} duplicate</source>
      <translation>{n} dubbla</translation>
    </message>
    <message>
      <source>{n} invalid</source>
      <translation>{n} ogiltiga</translation>
    </message>
    <message>
      <source>{n} new</source>
      <translation>{n} nya</translation>
    </message>
    <message>
      <source>{n} unchanged</source>
      <translation>{n} oförändrade</translation>
    </message>
  </context>
  <context>
    <name>Tariffs</name>
    <message>
      <source> (copy)</source>
      <translation> (kopia)</translation>
    </message>
    <message>
      <source> (plan price)</source>
      <translation> (planens pris)</translation>
    </message>
    <message>
      <source> ({band})</source>
      <translation> ({band})</translation>
    </message>
    <message>
      <source> min</source>
      <translation> min</translation>
    </message>
    <message>
      <source>&amp;Archive…</source>
      <translation>&amp;Arkivera…</translation>
    </message>
    <message>
      <source>&amp;Clear…</source>
      <translation>&amp;Ta bort…</translation>
    </message>
    <message>
      <source>&amp;Duplicate…</source>
      <translation>&amp;Kopiera…</translation>
    </message>
    <message>
      <source>&amp;Edit…</source>
      <translation>&amp;Ändra…</translation>
    </message>
    <message>
      <source>&amp;New tariff</source>
      <translation>&amp;Ny taxa</translation>
    </message>
    <message>
      <source>&amp;Restore</source>
      <translation>&amp;Återställ</translation>
    </message>
    <message>
      <source>&amp;Save tariff</source>
      <translation>&amp;Spara taxa</translation>
    </message>
    <message>
      <source>, after {grace} min free</source>
      <translation>, efter {grace} min fritt</translation>
    </message>
    <message>
      <source>, capped at {cap}</source>
      <translation>, högst {cap}</translation>
    </message>
    <message>
      <source>A tariff says what a charging session costs. A session keeps the version of its tariff it started with, so editing a tariff never changes what a session already cost.</source>
      <translation>En taxa anger vad en laddning kostar. En laddning behåller den version av taxan som gällde när den började, så en ändrad taxa ändrar aldrig vad en laddning redan kostat.</translation>
    </message>
    <message>
      <source>A {minutes} min session of {kwh} kWh starting {clock} on {day} costs:</source>
      <translation>En laddning på {minutes} min och {kwh} kWh som börjar {clock} på {day} kostar:</translation>
    </message>
    <message>
      <source>A&amp;ssign…</source>
      <translation>&amp;Tilldela…</translation>
    </message>
    <message>
      <source>Add band</source>
      <translation>Lägg till tidsband</translation>
    </message>
    <message>
      <source>After charging ends (idle fee)</source>
      <translation>När laddningen är klar (uppehållsavgift)</translation>
    </message>
    <message>
      <source>Applies</source>
      <translation>Gäller</translation>
    </message>
    <message>
      <source>Archive tariff</source>
      <translation>Arkivera taxa</translation>
    </message>
    <message>
      <source>Archive “{name}”? It can no longer be assigned; sessions that used it keep their prices.</source>
      <translation>Arkivera ”{name}”? Den kan inte längre tilldelas; laddningar som använt den behåller sina priser.</translation>
    </message>
    <message>
      <source>Assign</source>
      <translation>Tilldela</translation>
    </message>
    <message>
      <source>Assign a tariff</source>
      <translation>Tilldela en taxa</translation>
    </message>
    <message>
      <source>At least:</source>
      <translation>Minst:</translation>
    </message>
    <message>
      <source>At most {n} decimals.</source>
      <translation>Högst {n} decimaler.</translation>
    </message>
    <message>
      <source>At most:</source>
      <translation>Högst:</translation>
    </message>
    <message>
      <source>Band {n}</source>
      <translation>Band {n}</translation>
    </message>
    <message>
      <source>Band {n}: {problem}</source>
      <translation>Band {n}: {problem}</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Avbryt</translation>
    </message>
    <message>
      <source>Charges for:</source>
      <translation>Laddar i:</translation>
    </message>
    <message>
      <source>Charging time {minutes} min × {price}</source>
      <translation>Laddtid {minutes} min × {price}</translation>
    </message>
    <message>
      <source>Clear tariff</source>
      <translation>Ta bort taxan</translation>
    </message>
    <message>
      <source>Currency:</source>
      <translation>Valuta:</translation>
    </message>
    <message>
      <source>Days</source>
      <translation>Dagar</translation>
    </message>
    <message>
      <source>Discard changes</source>
      <translation>Släng ändringarna</translation>
    </message>
    <message>
      <source>Discount on energy and time (%):</source>
      <translation>Rabatt på energi och tid (%):</translation>
    </message>
    <message>
      <source>Down to the maximum session price, {price}</source>
      <translation>Ned till högsta pris per laddning, {price}</translation>
    </message>
    <message>
      <source>Driver with a subscription plan</source>
      <translation>Förare med abonnemang</translation>
    </message>
    <message>
      <source>Edit tariff “{name}”</source>
      <translation>Ändra taxan ”{name}”</translation>
    </message>
    <message>
      <source>Energy (kWh):</source>
      <translation>Energi (kWh):</translation>
    </message>
    <message>
      <source>Energy price</source>
      <translation>Energipris</translation>
    </message>
    <message>
      <source>Energy price in the band; blank: the tariff's energy price</source>
      <translation>Energipris i bandet; tomt: taxans energipris</translation>
    </message>
    <message>
      <source>Energy price:</source>
      <translation>Energipris:</translation>
    </message>
    <message>
      <source>Energy {kwh} kWh × {price}</source>
      <translation>Energi {kwh} kWh × {price}</translation>
    </message>
    <message>
      <source>Everyone</source>
      <translation>Alla</translation>
    </message>
    <message>
      <source>Everywhere</source>
      <translation>Överallt</translation>
    </message>
    <message>
      <source>Fix the tariff's problems to see a price.</source>
      <translation>Rätta felen i taxan för att se ett pris.</translation>
    </message>
    <message>
      <source>Fleet: {fleet}</source>
      <translation>Fordonsflotta: {fleet}</translation>
    </message>
    <message>
      <source>For</source>
      <translation>För</translation>
    </message>
    <message>
      <source>For:</source>
      <translation>För:</translation>
    </message>
    <message>
      <source>Fr</source>
      <translation>Fr</translation>
    </message>
    <message>
      <source>Free for the first:</source>
      <translation>Fritt de första:</translation>
    </message>
    <message>
      <source>From</source>
      <translation>Från</translation>
    </message>
    <message>
      <source>How long the car stays plugged in after charging ends</source>
      <translation>Hur länge bilen står inkopplad efter att laddningen är klar</translation>
    </message>
    <message>
      <source>Idle fee at most:</source>
      <translation>Uppehållsavgift högst:</translation>
    </message>
    <message>
      <source>Idle fee per minute:</source>
      <translation>Uppehållsavgift per minut:</translation>
    </message>
    <message>
      <source>Idle {minutes} min × {price}</source>
      <translation>Uppehåll {minutes} min × {price}</translation>
    </message>
    <message>
      <source>Included energy left (kWh):</source>
      <translation>Inkluderad energi kvar (kWh):</translation>
    </message>
    <message>
      <source>Included in the plan: {kwh} kWh</source>
      <translation>Ingår i abonnemanget: {kwh} kWh</translation>
    </message>
    <message>
      <source>Mo</source>
      <translation>Må</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>Namn</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>Namn:</translation>
    </message>
    <message>
      <source>New tariff</source>
      <translation>Ny taxa</translation>
    </message>
    <message>
      <source>New tariff from “{name}”</source>
      <translation>Ny taxa utifrån ”{name}”</translation>
    </message>
    <message>
      <source>No energy delivered: nothing to pay</source>
      <translation>Ingen energi levererad: inget att betala</translation>
    </message>
    <message>
      <source>No time bands: the tariff's prices apply around the clock.</source>
      <translation>Inga tidsband: taxans priser gäller dygnet runt.</translation>
    </message>
    <message>
      <source>Not a number: write it like 3,45 or 3.45.</source>
      <translation>Inte ett tal: skriv till exempel 3,45 eller 3.45.</translation>
    </message>
    <message>
      <source>Peak</source>
      <translation>Höglast</translation>
    </message>
    <message>
      <source>Per kWh</source>
      <translation>Per kWh</translation>
    </message>
    <message>
      <source>Per minute</source>
      <translation>Per minut</translation>
    </message>
    <message>
      <source>Plan discount {percent} % on energy and time</source>
      <translation>Abonnemangsrabatt {percent} % på energi och tid</translation>
    </message>
    <message>
      <source>Plan price per kWh:</source>
      <translation>Abonnemangspris per kWh:</translation>
    </message>
    <message>
      <source>Plan:</source>
      <translation>Abonnemang:</translation>
    </message>
    <message>
      <source>Plan: {plan}</source>
      <translation>Abonnemang: {plan}</translation>
    </message>
    <message>
      <source>Price per charging minute in the band; blank: the tariff's price per minute</source>
      <translation>Pris per laddminut i bandet; tomt: taxans minutpris</translation>
    </message>
    <message>
      <source>Price per minute</source>
      <translation>Minutpris</translation>
    </message>
    <message>
      <source>Price per minute:</source>
      <translation>Pris per minut:</translation>
    </message>
    <message>
      <source>Prices</source>
      <translation>Priser</translation>
    </message>
    <message>
      <source>Remove this band</source>
      <translation>Ta bort tidsbandet</translation>
    </message>
    <message>
      <source>Round the total to:</source>
      <translation>Avrunda summan till:</translation>
    </message>
    <message>
      <source>Rounded to the nearest {step}</source>
      <translation>Avrundat till närmaste {step}</translation>
    </message>
    <message>
      <source>Rounded up to a multiple of {step}</source>
      <translation>Avrundat uppåt till jämna {step}</translation>
    </message>
    <message>
      <source>Sa</source>
      <translation>Lö</translation>
    </message>
    <message>
      <source>Saving…</source>
      <translation>Sparar…</translation>
    </message>
    <message>
      <source>Session price</source>
      <translation>Pris per laddning</translation>
    </message>
    <message>
      <source>Show archived</source>
      <translation>Visa arkiverade</translation>
    </message>
    <message>
      <source>Site: {site}</source>
      <translation>Anläggning: {site}</translation>
    </message>
    <message>
      <source>Start fee</source>
      <translation>Startavgift</translation>
    </message>
    <message>
      <source>Start fee:</source>
      <translation>Startavgift:</translation>
    </message>
    <message>
      <source>Starts:</source>
      <translation>Börjar:</translation>
    </message>
    <message>
      <source>Station: {station}</source>
      <translation>Station: {station}</translation>
    </message>
    <message>
      <source>Stop this tariff applying there</source>
      <translation>Sluta tillämpa taxan där</translation>
    </message>
    <message>
      <source>Stop “{tariff}” applying here: {where}? A more general tariff, if any, applies there instead.</source>
      <translation>Sluta tillämpa ”{tariff}” här: {where}? En mer allmän taxa, om det finns någon, gäller där i stället.</translation>
    </message>
    <message>
      <source>Su</source>
      <translation>Sö</translation>
    </message>
    <message>
      <source>Tariff</source>
      <translation>Taxa</translation>
    </message>
    <message>
      <source>Tariff “{name}” archived.</source>
      <translation>Taxan ”{name}” är arkiverad.</translation>
    </message>
    <message>
      <source>Tariff “{name}” restored.</source>
      <translation>Taxan ”{name}” är återställd.</translation>
    </message>
    <message>
      <source>Tariff “{name}” saved.</source>
      <translation>Taxan ”{name}” är sparad.</translation>
    </message>
    <message>
      <source>Tariff:</source>
      <translation>Taxa:</translation>
    </message>
    <message>
      <source>Terms typed here</source>
      <translation>Villkor som skrivs in här</translation>
    </message>
    <message>
      <source>Th</source>
      <translation>To</translation>
    </message>
    <message>
      <source>The most specific applies: a station's own tariff over its site's, a site's over the one for everywhere; at the same place a subscription plan's over a fleet's over the one for everyone.</source>
      <translation>Den mest specifika gäller: en stations egen taxa före anläggningens, anläggningens före den som gäller överallt; på samma ställe ett abonnemangs taxa före en fordonsflottas, och en fordonsflottas före den som gäller alla.</translation>
    </message>
    <message>
      <source>The most specific tariff applies: a station's own over its site's, a site's over the one for everywhere; at the same place a plan's over a fleet's over the one for everyone.</source>
      <translation>Den mest specifika taxan gäller: en stations egen före anläggningens, anläggningens före den som gäller överallt; på samma ställe ett abonnemangs före en fordonsflottas, och en fordonsflottas före den som gäller alla.</translation>
    </message>
    <message>
      <source>Then stays plugged in:</source>
      <translation>Står sedan kvar:</translation>
    </message>
    <message>
      <source>There is no tariff to assign yet: create one first.</source>
      <translation>Det finns ingen taxa att tilldela än: skapa en först.</translation>
    </message>
    <message>
      <source>This replaces “{tariff}” there.</source>
      <translation>Detta ersätter ”{tariff}” där.</translation>
    </message>
    <message>
      <source>This tariff already applies there.</source>
      <translation>Taxan gäller redan där.</translation>
    </message>
    <message>
      <source>This tariff has changes that are not saved. Discard them?</source>
      <translation>Taxan har ändringar som inte är sparade. Vill du slänga dem?</translation>
    </message>
    <message>
      <source>Time bands</source>
      <translation>Tidsband</translation>
    </message>
    <message>
      <source>Time bands (their own prices at certain hours)</source>
      <translation>Tidsband (egna priser vissa tider)</translation>
    </message>
    <message>
      <source>To</source>
      <translation>Till</translation>
    </message>
    <message>
      <source>Total {amount}</source>
      <translation>Summa {amount}</translation>
    </message>
    <message>
      <source>Tu</source>
      <translation>Ti</translation>
    </message>
    <message>
      <source>Up to the minimum session price, {price}</source>
      <translation>Upp till lägsta pris per laddning, {price}</translation>
    </message>
    <message>
      <source>VAT rate:</source>
      <translation>Momssats:</translation>
    </message>
    <message>
      <source>We</source>
      <translation>On</translation>
    </message>
    <message>
      <source>What would a session cost?</source>
      <translation>Vad skulle en laddning kosta?</translation>
    </message>
    <message>
      <source>Where</source>
      <translation>Var</translation>
    </message>
    <message>
      <source>Where each tariff applies</source>
      <translation>Var varje taxa gäller</translation>
    </message>
    <message>
      <source>Where:</source>
      <translation>Var:</translation>
    </message>
    <message>
      <source>While charging</source>
      <translation>Under laddning</translation>
    </message>
    <message>
      <source>Write a whole number, without decimals.</source>
      <translation>Skriv ett heltal, utan decimaler.</translation>
    </message>
    <message>
      <source>all day</source>
      <translation>hela dygnet</translation>
    </message>
    <message>
      <source>always up</source>
      <translation>alltid uppåt</translation>
    </message>
    <message>
      <source>e.g. Depot standard</source>
      <translation>t.ex. Depå standard</translation>
    </message>
    <message>
      <source>every day</source>
      <translation>alla dagar</translation>
    </message>
    <message>
      <source>idle {price}/min</source>
      <translation>uppehåll {price}/min</translation>
    </message>
    <message>
      <source>minutes</source>
      <translation>minuter</translation>
    </message>
    <message>
      <source>no cap</source>
      <translation>inget tak</translation>
    </message>
    <message>
      <source>no maximum</source>
      <translation>inget högsta</translation>
    </message>
    <message>
      <source>no minimum</source>
      <translation>inget lägsta</translation>
    </message>
    <message>
      <source>none: the same prices all day</source>
      <translation>inga: samma priser hela dygnet</translation>
    </message>
    <message>
      <source>not assigned</source>
      <translation>inte tilldelad</translation>
    </message>
    <message>
      <source>of which VAT {vat} ({rate} %), {net} without VAT</source>
      <translation>varav moms {vat} ({rate} %), {net} utan moms</translation>
    </message>
    <message>
      <source>start {price}</source>
      <translation>start {price}</translation>
    </message>
    <message>
      <source>tariff {id}</source>
      <translation>taxa {id}</translation>
    </message>
    <message>
      <source>tariff's</source>
      <translation>taxans</translation>
    </message>
    <message>
      <source>tariff's price</source>
      <translation>taxans pris</translation>
    </message>
    <message>
      <source>to the nearest step</source>
      <translation>till närmaste steg</translation>
    </message>
    <message>
      <source>{currency} per kWh</source>
      <translation>{currency} per kWh</translation>
    </message>
    <message>
      <source>{currency} per minute</source>
      <translation>{currency} per minut</translation>
    </message>
    <message>
      <source>{name} (archived)</source>
      <translation>{name} (arkiverad)</translation>
    </message>
    <message>
      <source>{place}, {group}</source>
      <translation>{place}, {group}</translation>
    </message>
    <message>
      <source>{price}/kWh</source>
      <translation>{price}/kWh</translation>
    </message>
    <message>
      <source>{price}/min</source>
      <translation>{price}/min</translation>
    </message>
    <message>
      <source>“{tariff}” no longer applies: {where}.</source>
      <translation>”{tariff}” gäller inte längre: {where}.</translation>
    </message>
    <message>
      <source>“{tariff}” now applies: {where}.</source>
      <translation>”{tariff}” gäller nu: {where}.</translation>
    </message>
  </context>
  <context>
    <name>TriggerDialog</name>
    <message>
      <source>All connectors</source>
      <translation>Alla uttag</translation>
    </message>
    <message>
      <source>Connector</source>
      <translation>Uttag</translation>
    </message>
    <message>
      <source>Connector status (StatusNotification)</source>
      <translation>Uttagsstatus (StatusNotification)</translation>
    </message>
    <message>
      <source>Diagnostics upload status</source>
      <translation>Status för uppladdning av diagnostik</translation>
    </message>
    <message>
      <source>Firmware update status</source>
      <translation>Status för firmwareuppdatering</translation>
    </message>
    <message>
      <source>Heartbeat</source>
      <translation>Livstecken (Heartbeat)</translation>
    </message>
    <message>
      <source>Identity and firmware (BootNotification)</source>
      <translation>Identitet och firmware (BootNotification)</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>Meddelande</translation>
    </message>
    <message>
      <source>Meter readings (MeterValues)</source>
      <translation>Mätarvärden (MeterValues)</translation>
    </message>
    <message>
      <source>Send request</source>
      <translation>Skicka begäran</translation>
    </message>
    <message>
      <source>The station sends the chosen message now, for example to refresh a status.</source>
      <translation>Stationen skickar det valda meddelandet nu, till exempel för att uppdatera en status.</translation>
    </message>
    <message>
      <source>Trigger a message from {station}</source>
      <translation>Begär ett meddelande från {station}</translation>
    </message>
  </context>
  <context>
    <name>Welcome</name>
    <message>
      <source>Accepted at once (meant for tests and demos, not for a real site)</source>
      <translation>Godkänns direkt (avsett för tester och demonstrationer, inte för en riktig anläggning)</translation>
    </message>
    <message>
      <source>Charger addresses</source>
      <translation>Adresser för laddare</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>Kopiera</translation>
    </message>
    <message>
      <source>Copy this address to the clipboard</source>
      <translation>Kopiera adressen till urklipp</translation>
    </message>
    <message>
      <source>Demo fleet starting…</source>
      <translation>Demoflottan startar…</translation>
    </message>
    <message>
      <source>Encryption</source>
      <translation>Kryptering</translation>
    </message>
    <message>
      <source>Held for your approval: they appear under &lt;i&gt;Pending stations&lt;/i&gt; and may not charge until you accept them</source>
      <translation>Hålls kvar för ditt godkännande: de visas under &lt;i&gt;Väntande stationer&lt;/i&gt; och får inte ladda förrän du godkänner dem</translation>
    </message>
    <message>
      <source>No charger at hand? Start six simulated chargers that connect to this server and charge vehicles, to see the control room at work.</source>
      <translation>Ingen laddare till hands? Starta sex simulerade laddare som ansluter till den här servern och laddar fordon, så ser du kontrollrummet i arbete.</translation>
    </message>
    <message>
      <source>No charger has connected yet. In each charger's OCPP settings, enter one of the addresses below as the central system URL (OCPP 1.6J over WebSocket), ending in that charger's own id.</source>
      <translation>Ingen laddare har anslutit ännu. Ange i varje laddares OCPP-inställningar en av adresserna nedan som URL till centralsystemet (OCPP 1.6J över WebSocket), med laddarens eget id i slutet.</translation>
    </message>
    <message>
      <source>None (ws://): keep chargers on a closed site network or a VPN</source>
      <translation>Ingen (ws://): håll laddarna på ett slutet nätverk på anläggningen eller i ett VPN</translation>
    </message>
    <message>
      <source>Not required for a station without one. When you accept a station you can give it a password; it must then log in with it (HTTP Basic authentication, OCPP security profile 1)</source>
      <translation>Krävs inte för en station utan lösenord. När du godkänner en station kan du ge den ett lösenord; den måste då logga in med det (HTTP Basic-autentisering, OCPP-säkerhetsprofil 1)</translation>
    </message>
    <message>
      <source>Passwords</source>
      <translation>Lösenord</translation>
    </message>
    <message>
      <source>Refused: add each station by its id before it connects</source>
      <translation>Nekas: lägg till varje station med dess id innan den ansluter</translation>
    </message>
    <message>
      <source>Security</source>
      <translation>Säkerhet</translation>
    </message>
    <message>
      <source>Six simulated chargers connect to this server</source>
      <translation>Sex simulerade laddare ansluter till den här servern</translation>
    </message>
    <message>
      <source>Start demo fleet</source>
      <translation>Starta demoflotta</translation>
    </message>
    <message>
      <source>Station id for the addresses:</source>
      <translation>Stations-id för adresserna:</translation>
    </message>
    <message>
      <source>The server listens only on this computer (host setting {host}), so chargers on the network cannot reach it. Set the host to 0.0.0.0 to serve the site.</source>
      <translation>Servern lyssnar bara på den här datorn (värdinställning {host}), så laddare i nätverket kan inte nå den. Ställ in värden på 0.0.0.0 för att betjäna anläggningen.</translation>
    </message>
    <message>
      <source>This computer has no network address other than loopback, so no charger can reach it yet. Connect it to the site network; for a test on this computer itself use the address below.</source>
      <translation>Den här datorn har ingen annan nätverksadress än loopback, så ingen laddare kan nå den ännu. Anslut den till anläggningens nätverk; för ett test på själva datorn, använd adressen nedan.</translation>
    </message>
    <message>
      <source>Try it</source>
      <translation>Prova</translation>
    </message>
    <message>
      <source>Unknown chargers</source>
      <translation>Okända laddare</translation>
    </message>
    <message>
      <source>Welcome to ChargeDesk</source>
      <translation>Välkommen till ChargeDesk</translation>
    </message>
    <message>
      <source>e.g. DEPOT-01 (optional)</source>
      <translation>t.ex. DEPOT-01 (valfritt)</translation>
    </message>
  </context>
</TS>
