<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv">
  <context>
    <name>App</name>
    <message>
      <source>ChargeDesk cannot start</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The engine could not start:
{reason}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;About ChargeDesk</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;File</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Help</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>About ChargeDesk</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ChargeDesk {version}
Control room and OCPP central system.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ChargeDesk — control room</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Demo fleet</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Demo fleet of {n} chargers started</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Server: listening on port {port}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Shutting down…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Site power: {kw:.1f} kW</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Start &amp;demo fleet</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stations online: {online} of {total}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Status grid</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Operations</name>
    <message>
      <source>Something went wrong; the details are in the log.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station did not answer in time.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station does not support this.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station is not accepted yet; accept it first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station is offline, so nothing was sent.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station refused: {status}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The station reported an error: {code}.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Status</name>
    <message>
      <source>Available</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Charging</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Faulted</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Finishing</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Offline</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Paused by charger</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Paused by vehicle</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Pending approval</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Preparing</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reserved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unavailable</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>StatusGrid</name>
    <message>
      <source>All statuses</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Connector</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Error code: {code}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Firmware</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Id tag / driver</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Last message</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Power (kW)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Search station, tag, status…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Session duration</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Session energy (kWh)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Since</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Station</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Status</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
