"""A synthetic data set at any scale, for load tests: ``manage.py generate_data``.

``generate()`` writes partners, people, joint units (with their partnerships and
secondary institutes), ERC and MSCA grants, and projects (with their participants and
units), published and in French and English, every one of them marked ``synthetic``.
``delete_synthetic()`` removes them again, and nothing else.

How it is written:

* One transaction: all or nothing. On PostgreSQL the rows go through ``COPY``, on
  SQLite through ``executemany``; rows are made by generators and written in batches,
  so memory stays flat whatever the size (the partners are a range of ids plus
  small arrays that units and projects draw from, the units likewise for grants and
  projects).
* Ids are reserved up front (the tables are locked against other writers on
  PostgreSQL, and the sequences moved past the new ids), and slugs end with the id:
  running it again adds another set and never collides.
* The same seed on the same database gives the same rows. Identifiers (ROR id, PIC,
  ORCID, unit code, CORDIS id) come from the id, in ranges that real records never
  use: the ROR ids are well-formed but carry a wrong check digit, PICs start with 1,
  ORCIDs with 0000-0000, unit codes are five digits, CORDIS ids start with 8 or 9.
  Websites are under the reserved ``.example`` domain.
* Dates agree across records: a grant or a project is held in a joint unit open
  throughout it (created by its call or start, not closed before its end), or in
  none when no unit is; a unit is not older than its host institution, and a
  project's participants were established by its start.
* Model code does not run: no ``save()``, no signals, hence no history rows
  (simple-history's tables are left empty for generated records), and no
  ``full_clean()``: the values are made to satisfy the models' constraints, which
  the database checks anyway.
* Institutes and the programmes grants and projects need (ERC, MSCA, Horizon 2020,
  Horizon Europe, IRP, IRN, IEA) are real records: missing ones are created from the
  demo data and kept by ``delete_synthetic()``.
"""

import datetime
import math
import re
import time
from array import array
from bisect import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from random import Random

from django.db import connection, models, transaction
from django.utils import timezone

from cnrs_intl.demo import data as demo_data
from cnrs_intl.demo.loader import expand
from partners.caching import content_changed, partners_written_in_bulk
from partners.models import Partner, PartnerKind, PartnerStatus
from partners.publication import PublicationStatus
from partners.search import add_search_words, search_words_added_by_caller, unaccent
from programmes.models import (
    CnrsRole,
    ErcPanel,
    Grant,
    ParticipantRole,
    Programme,
    Project,
    ProjectKind,
    ProjectParticipant,
    SocietalChallenge,
)
from units.institutes import CNRS_INSTITUTES
from units.models import (
    Institute,
    PartnerRole,
    Person,
    Unit,
    UnitKind,
    UnitPartnership,
    UnitStatus,
    orcid_check_digit,
)

PUBLISHED = PublicationStatus.PUBLISHED

# --- Countries and cities -------------------------------------------------------------
# "CODE WEIGHT LANGUAGE: city; city…", a city being "fr/en/local LATITUDE LONGITUDE",
# where a missing English or local name repeats the previous one. The language (or a
# city's "@xx") is the one original names are written in; "-" when none is generated.
# The weights roughly follow how much the CNRS works with each country; France and
# its overseas territories are left out: partners and units are abroad.
_COUNTRY_TABLE = """
US 40 -: Washington 38.90 -77.04; New York 40.71 -74.01; Boston 42.36 -71.06;
    Chicago 41.88 -87.63; Los Angeles 34.05 -118.24; San Francisco 37.77 -122.42;
    Seattle 47.61 -122.33; Houston 29.76 -95.37; Atlanta 33.75 -84.39;
    Philadelphie/Philadelphia 39.95 -75.17;
    La Nouvelle-Orléans/New Orleans 29.95 -90.07; Pittsburgh 40.44 -79.99;
    Berkeley 37.87 -122.27; Princeton 40.35 -74.66; Ann Arbor 42.28 -83.74;
    Austin 30.27 -97.74; Baltimore 39.29 -76.61; Denver 39.74 -104.99;
    Honolulu 21.31 -157.86; San Diego 32.72 -117.16; Madison 43.07 -89.40
CN 25 -: Pékin/Beijing 39.90 116.40; Shanghai 31.23 121.47;
    Canton/Guangzhou 23.13 113.26; Wuhan 30.59 114.31; Nankin/Nanjing 32.06 118.80;
    Chengdu 30.57 104.07; Hangzhou 30.27 120.16; Xi’an 34.34 108.94;
    Shenzhen 22.54 114.06; Tianjin 39.34 117.36; Hefei 31.82 117.23;
    Harbin 45.80 126.53; Kunming 25.04 102.71
DE 25 de: Berlin 52.52 13.40; Munich/Munich/München 48.14 11.58;
    Hambourg/Hamburg 53.55 9.99; Cologne/Cologne/Köln 50.94 6.96;
    Francfort/Frankfurt/Frankfurt am Main 50.11 8.68; Heidelberg 49.40 8.69;
    Göttingen 51.54 9.93; Stuttgart 48.78 9.18; Dresde/Dresden 51.05 13.74;
    Leipzig 51.34 12.37; Bonn 50.74 7.10;
    Fribourg-en-Brisgau/Freiburg/Freiburg im Breisgau 47.99 7.84;
    Aix-la-Chapelle/Aachen 50.78 6.08; Karlsruhe 49.01 8.40; Tübingen 48.52 9.06;
    Mayence/Mainz 50.00 8.27; Sarrebruck/Saarbrücken 49.24 6.99; Iéna/Jena 50.93 11.59;
    Brême/Bremen 53.08 8.80; Münster 51.96 7.63
GB 25 -: Londres/London 51.51 -0.13; Oxford 51.75 -1.26; Cambridge 52.21 0.12;
    Édimbourg/Edinburgh 55.95 -3.19; Manchester 53.48 -2.24; Glasgow 55.86 -4.25;
    Bristol 51.45 -2.59; Birmingham 52.49 -1.89; Leeds 53.80 -1.55; Cardiff 51.48 -3.18;
    Belfast 54.60 -5.93; Southampton 50.90 -1.40; Durham 54.78 -1.57;
    St Andrews 56.34 -2.80; Norwich 52.63 1.30
IT 18 it: Rome/Rome/Roma 41.90 12.50; Milan/Milan/Milano 45.46 9.19;
    Turin/Turin/Torino 45.07 7.69; Bologne/Bologna 44.49 11.34;
    Florence/Florence/Firenze 43.77 11.26; Naples/Naples/Napoli 40.85 14.27;
    Padoue/Padua/Padova 45.41 11.88; Pise/Pisa 43.72 10.40; Trieste 45.65 13.78;
    Gênes/Genoa/Genova 44.41 8.93; Venise/Venice/Venezia 45.44 12.33;
    Palerme/Palermo 38.12 13.36; Catane/Catania 37.50 15.09
ES 15 es: Madrid 40.42 -3.70; Barcelone/Barcelona 41.39 2.17;
    Valence/Valencia 39.47 -0.38; Séville/Seville/Sevilla 37.39 -5.98;
    Saragosse/Zaragoza 41.65 -0.89; Grenade/Granada 37.18 -3.60;
    Salamanque/Salamanca 40.97 -5.66; Bilbao 43.26 -2.93;
    Saint-Jacques-de-Compostelle/Santiago de Compostela 42.88 -8.54; Málaga 36.72 -4.42;
    Oviedo 43.36 -5.85; Palma 39.57 2.65
JP 15 -: Tokyo 35.68 139.69; Kyoto/Kyoto 35.01 135.77; Osaka/Osaka/Ōsaka 34.69 135.50;
    Sendai 38.27 140.87; Nagoya 35.18 136.91; Sapporo 43.06 141.35;
    Fukuoka 33.59 130.40; Tsukuba 36.08 140.08; Kobe 34.69 135.20;
    Hiroshima 34.39 132.46
CA 14 -: Ottawa 45.42 -75.70; Montréal/Montreal@fr 45.50 -73.57; Toronto 43.65 -79.38;
    Vancouver 49.28 -123.12; Québec/Quebec City/Québec@fr 46.81 -71.21;
    Calgary 51.05 -114.07; Sherbrooke@fr 45.40 -71.89; Halifax 44.65 -63.57
CH 10 de: Berne/Bern 46.95 7.45; Zurich/Zurich/Zürich 47.38 8.54;
    Genève/Geneva/Genève@fr 46.20 6.14; Lausanne@fr 46.52 6.63; Bâle/Basel 47.56 7.59;
    Neuchâtel@fr 46.99 6.93; Fribourg@fr 46.81 7.16; Lugano@it 46.00 8.95
BE 10 fr: Bruxelles/Brussels 50.85 4.35; Louvain/Leuven/Leuven@nl 50.88 4.70;
    Gand/Ghent/Gent@nl 51.05 3.72; Liège 50.63 5.57;
    Anvers/Antwerp/Antwerpen@nl 51.22 4.40; Louvain-la-Neuve 50.67 4.61;
    Namur 50.47 4.87
BR 10 pt: Brasília -15.79 -47.88; São Paulo -23.55 -46.63; Rio de Janeiro -22.91 -43.17;
    Belo Horizonte -19.92 -43.94; Porto Alegre -30.03 -51.23; Recife -8.05 -34.88;
    Campinas -22.91 -47.06; Manaus -3.12 -60.02; Curitiba -25.43 -49.27;
    Salvador -12.97 -38.50; Florianópolis -27.60 -48.55
IN 10 -: New Delhi 28.61 77.21; Bombay/Mumbai 19.08 72.88;
    Bangalore/Bengaluru 12.97 77.59; Calcutta/Kolkata 22.57 88.36; Chennai 13.08 80.27;
    Hyderabad 17.39 78.49; Pune 18.52 73.86; Pondichéry/Puducherry 11.94 79.81
NL 9 nl: Amsterdam 52.37 4.90; Leyde/Leiden 52.16 4.49; Utrecht 52.09 5.12;
    Delft 52.01 4.36; Groningue/Groningen 53.22 6.57; Eindhoven 51.44 5.47;
    Nimègue/Nijmegen 51.84 5.85; Rotterdam 51.92 4.48
AU 8 -: Canberra -35.28 149.13; Sydney -33.87 151.21; Melbourne -37.81 144.96;
    Brisbane -27.47 153.03; Perth -31.95 115.86; Adélaïde/Adelaide -34.93 138.60;
    Hobart -42.88 147.33; Townsville -19.26 146.82
KR 7 -: Séoul/Seoul 37.57 126.98; Daejeon 36.35 127.38; Busan 35.18 129.08;
    Pohang 36.02 129.34; Gwangju 35.16 126.85
RU 6 -: Moscou/Moscow 55.76 37.62; Saint-Pétersbourg/Saint Petersburg 59.93 30.34;
    Novossibirsk/Novosibirsk 55.01 82.93; Kazan 55.80 49.11;
    Iekaterinbourg/Yekaterinburg 56.84 60.61; Tomsk 56.48 84.95;
    Vladivostok 43.12 131.89
SE 6 sv: Stockholm 59.33 18.07; Uppsala 59.86 17.64; Lund 55.70 13.19;
    Göteborg/Gothenburg/Göteborg 57.71 11.97; Umeå 63.83 20.26; Linköping 58.41 15.62
PL 6 -: Varsovie/Warsaw/Warszawa 52.23 21.01; Cracovie/Kraków 50.06 19.94;
    Wrocław 51.11 17.04; Poznań 52.41 16.93; Gdańsk 54.35 18.65; Łódź 51.76 19.46;
    Toruń 53.01 18.60
IL 5 -: Jérusalem/Jerusalem 31.77 35.21; Tel Aviv 32.09 34.78; Haïfa/Haifa 32.79 34.99;
    Rehovot 31.89 34.81; Beer-Sheva/Beersheba 31.25 34.79
PT 5 pt: Lisbonne/Lisbon/Lisboa 38.72 -9.14; Porto 41.15 -8.61; Coimbra 40.21 -8.43;
    Braga 41.55 -8.42; Aveiro 40.64 -8.65
AT 5 de: Vienne/Vienna/Wien 48.21 16.37; Graz 47.07 15.44; Innsbruck 47.27 11.39;
    Salzbourg/Salzburg 47.81 13.06; Linz 48.31 14.29
MX 5 es: Mexico/Mexico City/Ciudad de México 19.43 -99.13; Guadalajara 20.67 -103.35;
    Monterrey 25.69 -100.32; Puebla 19.04 -98.21; Mérida 20.97 -89.62;
    Cuernavaca 18.92 -99.23
AR 5 es: Buenos Aires -34.60 -58.38; Córdoba -31.42 -64.18; Rosario -32.95 -60.65;
    Mendoza -32.89 -68.83; La Plata -34.92 -57.95; Bariloche -41.13 -71.31
CL 5 es: Santiago -33.45 -70.67; Valparaíso -33.05 -71.62; Concepción -36.83 -73.05;
    Antofagasta -23.65 -70.40; La Serena -29.90 -71.25
ZA 5 -: Pretoria -25.75 28.19; Le Cap/Cape Town -33.92 18.42; Johannesburg -26.20 28.05;
    Durban -29.86 31.02; Stellenbosch -33.93 18.86
DK 4 -: Copenhague/Copenhagen/København 55.68 12.57; Aarhus 56.16 10.20;
    Odense 55.40 10.39
FI 4 -: Helsinki 60.17 24.94; Turku 60.45 22.27; Oulu 65.01 25.47; Jyväskylä 62.24 25.75
NO 4 -: Oslo 59.91 10.75; Bergen 60.39 5.32; Trondheim 63.43 10.40; Tromsø 69.65 18.96
GR 4 -: Athènes/Athens 37.98 23.73; Thessalonique/Thessaloniki 40.64 22.94;
    Héraklion/Heraklion 35.34 25.13; Patras 38.25 21.73
CZ 4 -: Prague/Prague/Praha 50.08 14.44; Brno 49.20 16.61; Olomouc 49.59 17.25
TW 4 -: Taipei 25.03 121.57; Hsinchu 24.80 120.97; Tainan 22.99 120.21
SG 4 -: Singapour/Singapore 1.35 103.82
TR 4 -: Ankara 39.93 32.86; Istanbul/Istanbul/İstanbul 41.01 28.98;
    Izmir/Izmir/İzmir 38.42 27.14
MA 4 fr: Rabat 34.02 -6.83; Casablanca 33.57 -7.59; Marrakech 31.63 -7.99;
    Fès/Fez 34.03 -5.00
HK 3 -: Hong Kong 22.32 114.17
IE 3 -: Dublin 53.35 -6.26; Cork 51.90 -8.47; Galway 53.27 -9.05
HU 3 -: Budapest 47.50 19.04; Szeged 46.25 20.15; Debrecen 47.53 21.63
RO 3 -: Bucarest/Bucharest/București 44.43 26.10; Cluj-Napoca 46.77 23.60;
    Iași 47.16 27.59; Timișoara 45.76 21.23
UA 3 -: Kiev/Kyiv 50.45 30.52; Kharkiv 49.99 36.23; Lviv 49.84 24.03;
    Odessa/Odesa 46.48 30.72
TN 3 fr: Tunis 36.81 10.18; Sfax 34.74 10.76; Sousse 35.83 10.64
SN 3 fr: Dakar 14.72 -17.47; Saint-Louis 16.02 -16.49
DZ 3 fr: Alger/Algiers 36.75 3.06; Oran 35.70 -0.63; Constantine 36.37 6.61
IR 3 -: Téhéran/Tehran 35.69 51.39; Ispahan/Isfahan 32.65 51.67;
    Chiraz/Shiraz 29.59 52.58
EG 3 -: Le Caire/Cairo 30.04 31.24; Alexandrie/Alexandria 31.20 29.92
VN 3 -: Hanoï/Hanoi/Hà Nội 21.03 105.85;
    Hô Chi Minh-Ville/Ho Chi Minh City 10.82 106.63;
    Da Nang/Da Nang/Đà Nẵng 16.05 108.20
TH 3 -: Bangkok 13.76 100.50; Chiang Mai 18.79 98.98
ID 3 -: Jakarta -6.21 106.85; Bandung -6.91 107.61; Yogyakarta -7.80 110.36
CO 3 es: Bogotá 4.71 -74.07; Medellín 6.24 -75.58; Cali 3.45 -76.53
NZ 3 -: Wellington -41.29 174.78; Auckland -36.85 174.76; Christchurch -43.53 172.64;
    Dunedin -45.87 170.50
PE 2 es: Lima -12.05 -77.04; Cuzco/Cusco -13.53 -71.97; Arequipa -16.41 -71.54
CI 2 fr: Abidjan 5.36 -4.01; Yamoussoukro 6.83 -5.29
CM 2 fr: Yaoundé 3.87 11.52; Douala 4.05 9.77
SA 2 -: Riyad/Riyadh 24.71 46.68; Djeddah/Jeddah 21.49 39.19; Thuwal 22.30 39.10
AE 2 -: Abou Dabi/Abu Dhabi 24.45 54.38; Dubaï/Dubai 25.20 55.27
PK 2 -: Islamabad 33.68 73.05; Lahore 31.55 74.34; Karachi 24.86 67.01
LB 2 fr: Beyrouth/Beirut 33.89 35.50
MY 2 -: Kuala Lumpur 3.14 101.69; George Town 5.41 100.33
PH 2 -: Manille/Manila 14.60 120.98; Cebu 10.32 123.89
KE 2 -: Nairobi -1.29 36.82; Mombasa -4.04 39.67
NG 2 -: Abuja 9.08 7.40; Lagos 6.52 3.38; Ibadan 7.38 3.95
SK 2 -: Bratislava 48.15 17.11; Košice 48.72 21.26
SI 2 -: Ljubljana 46.06 14.51; Maribor 46.55 15.65
HR 2 -: Zagreb 45.81 15.98; Split 43.51 16.44
RS 2 -: Belgrade/Belgrade/Beograd 44.79 20.45; Novi Sad 45.27 19.83
BG 2 -: Sofia 42.70 23.32; Plovdiv 42.14 24.75
EE 2 -: Tallinn 59.44 24.75; Tartu 58.38 26.72
LT 2 -: Vilnius 54.69 25.28; Kaunas 54.90 23.89
LV 2 -: Riga 56.95 24.11
LU 2 fr: Luxembourg 49.61 6.13
IS 2 -: Reykjavik/Reykjavík 64.15 -21.94
UY 2 es: Montevideo -34.90 -56.16
VE 2 es: Caracas 10.48 -66.90; Mérida 8.59 -71.14
EC 2 es: Quito -0.18 -78.47; Guayaquil -2.17 -79.92
BO 2 es: La Paz -16.50 -68.15; Santa Cruz de la Sierra -17.78 -63.18
CU 2 es: La Havane/Havana/La Habana 23.11 -82.37
KZ 2 -: Astana 51.17 71.45; Almaty 43.24 76.89
UZ 2 -: Tachkent/Tashkent 41.30 69.24; Samarcande/Samarkand 39.65 66.96
MG 2 fr: Antananarivo -18.88 47.51
BF 2 fr: Ouagadougou 12.37 -1.53; Bobo-Dioulasso 11.18 -4.30
ML 2 fr: Bamako 12.64 -8.00
GH 2 -: Accra 5.60 -0.19; Kumasi 6.69 -1.62
ET 2 -: Addis-Abeba/Addis Ababa 9.03 38.74
KH 2 -: Phnom Penh 11.56 104.92; Siem Reap 13.36 103.86
LA 1 -: Vientiane 17.98 102.63
MN 1 -: Oulan-Bator/Ulaanbaatar 47.89 106.91
NP 1 -: Katmandou/Kathmandu 27.72 85.32
BD 1 -: Dacca/Dhaka 23.81 90.41
LK 1 -: Colombo 6.93 79.86
MM 1 -: Rangoun/Yangon 16.84 96.17; Naypyidaw 19.76 96.08
BT 1 -: Thimphou/Thimphu 27.47 89.64
MV 1 -: Malé 4.18 73.51
BN 1 -: Bandar Seri Begawan 4.90 114.94
TL 1 -: Dili -8.56 125.57
MO 1 -: Macao/Macau 22.20 113.55
KP 1 -: Pyongyang 39.04 125.76
AF 1 -: Kaboul/Kabul 34.53 69.17
AM 1 -: Erevan/Yerevan 40.18 44.51
AZ 1 -: Bakou/Baku 40.41 49.87
GE 1 -: Tbilissi/Tbilisi 41.72 44.78
KG 1 -: Bichkek/Bishkek 42.87 74.59
TJ 1 -: Douchanbé/Dushanbe 38.56 68.79
TM 1 -: Achgabat/Ashgabat 37.96 58.33
IQ 1 -: Bagdad/Baghdad 33.31 44.36; Erbil 36.19 44.01
JO 1 -: Amman 31.95 35.93
SY 1 -: Damas/Damascus 33.51 36.29
PS 1 -: Ramallah 31.90 35.20
KW 1 -: Koweït/Kuwait City 29.38 47.99
BH 1 -: Manama 26.23 50.59
QA 1 -: Doha 25.29 51.53
OM 1 -: Mascate/Muscat 23.59 58.41
YE 1 -: Sanaa/Sana’a 15.37 44.19
CY 1 -: Nicosie/Nicosia 35.17 33.36
MT 1 -: La Valette/Valletta 35.90 14.51
AL 1 -: Tirana 41.33 19.82
MK 1 -: Skopje 42.00 21.43
ME 1 -: Podgorica 42.44 19.26
BA 1 -: Sarajevo 43.86 18.41
XK 1 -: Pristina/Pristina/Prishtinë 42.66 21.17
MD 1 -: Chisinau/Chișinău 47.01 28.86
BY 1 -: Minsk 53.90 27.56
AD 1 es: Andorre-la-Vieille/Andorra la Vella/Andorra la Vella 42.51 1.52
MC 1 fr: Monaco 43.74 7.42
SM 1 it: Saint-Marin/San Marino 43.94 12.45
VA 1 it: Cité du Vatican/Vatican City/Città del Vaticano 41.90 12.45
LI 1 de: Vaduz 47.14 9.52
GL 1 -: Nuuk 64.18 -51.72
CR 1 es: San José 9.93 -84.08
PA 1 es: Panama/Panama City/Panamá 8.98 -79.52
GT 1 es: Guatemala/Guatemala City/Ciudad de Guatemala 14.63 -90.51
HN 1 es: Tegucigalpa 14.07 -87.19
NI 1 es: Managua 12.11 -86.24
SV 1 es: San Salvador 13.69 -89.22
DO 1 es: Saint-Domingue/Santo Domingo 18.49 -69.93
PY 1 es: Asuncion/Asunción -25.26 -57.58
BZ 1 -: Belmopan 17.25 -88.77
HT 1 fr: Port-au-Prince 18.59 -72.31
JM 1 -: Kingston 18.02 -76.80
TT 1 -: Port-d’Espagne/Port of Spain 10.65 -61.51
BS 1 -: Nassau 25.05 -77.35
BB 1 -: Bridgetown 13.10 -59.61
AG 1 -: Saint John’s/St. John’s 17.12 -61.85
DM 1 -: Roseau 15.30 -61.39
GD 1 -: Saint-Georges/St. George’s 12.06 -61.75
KN 1 -: Basseterre 17.30 -62.72
LC 1 -: Castries 14.01 -60.99
VC 1 -: Kingstown 13.16 -61.22
GY 1 -: Georgetown 6.80 -58.16
SR 1 nl: Paramaribo 5.85 -55.20
PR 1 es: San Juan 18.47 -66.11
CW 1 nl: Willemstad 12.11 -68.93
AW 1 nl: Oranjestad 12.52 -70.03
AO 1 pt: Luanda -8.84 13.23
MZ 1 pt: Maputo -25.97 32.57
CV 1 pt: Praia 14.93 -23.51
ST 1 pt: São Tomé 0.34 6.73
GW 1 pt: Bissau 11.86 -15.60
BJ 1 fr: Porto-Novo 6.50 2.60; Cotonou 6.37 2.39
TG 1 fr: Lomé 6.13 1.22
NE 1 fr: Niamey 13.51 2.11
TD 1 fr: N’Djaména/N’Djamena 12.13 15.06
GN 1 fr: Conakry 9.64 -13.58
GA 1 fr: Libreville 0.42 9.47
CG 1 fr: Brazzaville -4.27 15.28
CD 1 fr: Kinshasa -4.32 15.31; Lubumbashi -11.66 27.48
CF 1 fr: Bangui 4.39 18.56
BI 1 fr: Gitega -3.43 29.92; Bujumbura -3.38 29.36
RW 1 -: Kigali -1.95 30.06
DJ 1 fr: Djibouti 11.59 43.15
KM 1 fr: Moroni -11.70 43.26
SC 1 -: Victoria -4.62 55.45
MU 1 -: Port-Louis/Port Louis -20.16 57.50
MR 1 fr: Nouakchott 18.08 -15.98
GQ 1 es: Malabo 3.75 8.78
GM 1 -: Banjul 13.45 -16.58
SL 1 -: Freetown 8.48 -13.23
LR 1 -: Monrovia 6.30 -10.80
UG 1 -: Kampala 0.35 32.58
TZ 1 -: Dodoma -6.16 35.75; Dar es Salaam -6.79 39.21
ZM 1 -: Lusaka -15.39 28.32
ZW 1 -: Harare -17.83 31.05
MW 1 -: Lilongwe -13.96 33.79
BW 1 -: Gaborone -24.65 25.91
NA 1 -: Windhoek -22.56 17.08
LS 1 -: Maseru -29.31 27.48
SZ 1 -: Mbabane -26.31 31.14
SO 1 -: Mogadiscio/Mogadishu 2.05 45.32
SS 1 -: Djouba/Juba 4.85 31.58
SD 1 -: Khartoum 15.50 32.56
ER 1 -: Asmara 15.32 38.93
LY 1 -: Tripoli 32.89 13.19
FJ 1 -: Suva -18.14 178.44
PG 1 -: Port Moresby -9.44 147.18
WS 1 -: Apia -13.83 -171.76
TO 1 -: Nuku’alofa -21.14 -175.20
VU 1 fr: Port-Vila/Port Vila -17.73 168.32
SB 1 -: Honiara -9.43 159.95
KI 1 -: Tarawa 1.33 172.98
FM 1 -: Palikir 6.92 158.16
MH 1 -: Majuro 7.09 171.38
PW 1 -: Ngerulmud 7.50 134.62
NR 1 -: Yaren -0.55 166.92
TV 1 -: Funafuti -8.52 179.20
"""

# --- Words names are made of ----------------------------------------------------------
# (French, English) pairs; English in lower case, title-cased where a name needs it.
FIELDS = [
    ("physique", "physics"),
    ("chimie", "chemistry"),
    ("mathématiques", "mathematics"),
    ("sciences de la Terre", "Earth sciences"),
    ("biologie moléculaire", "molecular biology"),
    ("océanographie", "oceanography"),
    ("astrophysique", "astrophysics"),
    ("sciences des matériaux", "materials science"),
    ("écologie", "ecology"),
    ("neurosciences", "neuroscience"),
    ("informatique", "computer science"),
    ("génétique", "genetics"),
    ("sciences du climat", "climate science"),
    ("archéologie", "archaeology"),
    ("économie", "economics"),
    ("sociologie", "sociology"),
    ("linguistique", "linguistics"),
    ("robotique", "robotics"),
    ("énergie", "energy"),
    ("agronomie", "agronomy"),
    ("santé publique", "public health"),
    ("immunologie", "immunology"),
    ("volcanologie", "volcanology"),
    ("histoire", "history"),
    ("optique", "optics"),
    ("physique des particules", "particle physics"),
    ("biodiversité", "biodiversity"),
    ("glaciologie", "glaciology"),
    ("intelligence artificielle", "artificial intelligence"),
    ("nanosciences", "nanoscience"),
    ("épidémiologie", "epidemiology"),
    ("anthropologie", "anthropology"),
    ("géographie", "geography"),
    ("philosophie", "philosophy"),
    ("microbiologie", "microbiology"),
    ("photonique", "photonics"),
    ("hydrologie", "hydrology"),
    ("sismologie", "seismology"),
    ("sciences cognitives", "cognitive science"),
    ("études urbaines", "urban studies"),
]

THEMES = [
    ("Matériaux quantiques", "Quantum materials"),
    ("Robotique humanoïde", "Humanoid robotics"),
    ("Océans et changement climatique", "Oceans and climate change"),
    ("Biodiversité tropicale", "Tropical biodiversity"),
    ("Apprentissage automatique", "Machine learning"),
    ("Physique des plasmas", "Plasma physics"),
    ("Chimie verte", "Green chemistry"),
    ("Épidémiologie des maladies infectieuses", "Infectious disease epidemiology"),
    ("Archéologie du Néolithique", "Neolithic archaeology"),
    ("Migrations et sociétés", "Migration and societies"),
    ("Géométrie algébrique", "Algebraic geometry"),
    ("Photonique intégrée", "Integrated photonics"),
    ("Risques volcaniques", "Volcanic hazards"),
    ("Glaciers et pergélisol", "Glaciers and permafrost"),
    ("Énergie solaire", "Solar energy"),
    ("Nanomédecine", "Nanomedicine"),
    ("Villes durables", "Sustainable cities"),
    ("Linguistique computationnelle", "Computational linguistics"),
    ("Histoire des sciences", "History of science"),
    ("Astrophysique des hautes énergies", "High-energy astrophysics"),
    ("Microbiome", "Microbiome"),
    ("Systèmes complexes", "Complex systems"),
    ("Économie du développement", "Development economics"),
    ("Hydrologie des grands fleuves", "Hydrology of large rivers"),
    ("Cryptographie", "Cryptography"),
    ("Écologie marine", "Marine ecology"),
    ("Génomique des plantes", "Plant genomics"),
    ("Théorie des nombres", "Number theory"),
    ("Matière molle", "Soft matter"),
    ("Patrimoine et sociétés", "Heritage and societies"),
]

# (French infinitive, English gerund, English infinitive)
VERBS = [
    ("Comprendre", "Understanding", "understand"),
    ("Modéliser", "Modelling", "model"),
    ("Explorer", "Exploring", "explore"),
    ("Mesurer", "Measuring", "measure"),
    ("Contrôler", "Controlling", "control"),
    ("Prédire", "Predicting", "predict"),
    ("Cartographier", "Mapping", "map"),
    ("Repenser", "Rethinking", "rethink"),
    ("Reconstituer", "Reconstructing", "reconstruct"),
    ("Concevoir", "Designing", "design"),
]

TOPICS = [
    ("les matériaux quantiques", "quantum materials"),
    ("la dynamique des glaciers", "glacier dynamics"),
    ("le microbiome intestinal", "the gut microbiome"),
    ("l’origine des rayons cosmiques", "the origin of cosmic rays"),
    ("les réseaux de neurones", "neural networks"),
    ("la mémoire épisodique", "episodic memory"),
    ("les migrations préhistoriques", "prehistoric migrations"),
    ("la turbulence", "turbulence"),
    ("les catalyseurs moléculaires", "molecular catalysts"),
    ("la formation des planètes", "planet formation"),
    ("les écosystèmes coralliens", "coral reef ecosystems"),
    ("la résistance aux antibiotiques", "antibiotic resistance"),
    ("les langues en danger", "endangered languages"),
    ("les inégalités urbaines", "urban inequality"),
    ("le cycle du carbone", "the carbon cycle"),
    ("les supraconducteurs", "superconductors"),
    ("la photosynthèse artificielle", "artificial photosynthesis"),
    ("les séismes lents", "slow earthquakes"),
    ("les trous noirs", "black holes"),
    ("la matière noire", "dark matter"),
    ("les protéines membranaires", "membrane proteins"),
    ("le vieillissement cellulaire", "cellular ageing"),
    ("les moussons", "monsoons"),
    ("les manuscrits médiévaux", "medieval manuscripts"),
    ("les batteries solides", "solid-state batteries"),
    ("les graphes aléatoires", "random graphs"),
    ("la lumière intriquée", "entangled light"),
    ("les sols agricoles", "agricultural soils"),
    ("les virus émergents", "emerging viruses"),
    ("la démocratie numérique", "digital democracy"),
]

CONTEXTS = [
    ("à l’échelle atomique", "at the atomic scale"),
    ("dans les océans profonds", "in the deep ocean"),
    ("au cours de l’évolution", "across evolution"),
    ("dans les villes du Sud", "in cities of the global South"),
    ("par l’apprentissage automatique", "with machine learning"),
    ("en conditions extrêmes", "under extreme conditions"),
    ("depuis l’Antiquité", "since Antiquity"),
    ("en temps réel", "in real time"),
    ("aux interfaces", "at interfaces"),
    ("dans un climat qui change", "in a changing climate"),
    ("en Afrique de l’Ouest", "in West Africa"),
    ("dans l’Arctique", "in the Arctic"),
    ("", ""),
    ("", ""),
]

METHODS = [
    ("la modélisation numérique", "numerical modelling"),
    ("des observations de terrain", "fieldwork"),
    ("l’expérimentation en laboratoire", "laboratory experiments"),
    ("l’analyse de données massives", "large-scale data analysis"),
    ("la théorie", "theory"),
    ("l’imagerie à haute résolution", "high-resolution imaging"),
    ("des archives historiques", "historical archives"),
    ("la spectroscopie", "spectroscopy"),
    ("des enquêtes qualitatives", "qualitative surveys"),
    ("la génomique", "genomics"),
]

# Women's and men's first names, "f" or "m".
FIRST_NAMES = [
    *(
        (name, "f")
        for name in (
            "Amélie Chloé Zoë Inès Léa Maëlle Hélène Agnieszka Małgorzata Zofia Ingrid "
            "Astrid Sigríður María Lucía Ximena Beatriz Conceição Aiko Yuki Mei "
            "Xiaoling Jiayi Priya Ananya Aïcha Fatoumata Ngozi Amara Olena Ayşe Elif "
            "Dorota Jana Lenka Eszter Zsófia Katarzyna Giulia Chiara Francesca Anneke "
            "Sanne Leila Yasmin Sofía Camila Sarah Emily Hannah Grace Min-ji Seo-yeon "
            "Linh Thảo Wanjiru Björk Dagný Renée Noémie Anaïs"
        ).split()
    ),
    *(
        (name, "m")
        for name in (
            "Jérôme François Loïc Benoît Joël Théo Łukasz Paweł Grzegorz Jürgen Jörg "
            "Søren Bjørn Óscar Ólafur José Joaquín Andrés João Sebastião Gonçalo "
            "Hiroshi Takeshi Kenji Wei Jian Hao Rahul Arjun Vikram Mamadou Oumar "
            "Chinedu Kwame Tomáš Jiří Miloš Dragan Mehmet Emre Ömer Ahmed Youssef "
            "Karim Dmitri Mikhail Andrii Giovanni Matteo Luca Pieter Joost Lars Erik "
            "Mateusz Pedro Diego Juan David Michael James Thomas Daniel Ji-ho Min-jun "
            "Duc Minh Kofi Raphaël Anselm"
        ).split()
    ),
]

# Surnames; "_" joins the words of a two-word name.
LAST_NAMES = [
    name.replace("_", " ")
    for name in (
        "Lefèvre Rousseau Bréchet Nowak Wójcik Kaczmarek Mazur Krawczyk Müller "
        "Schröder Köhler Weiß Jensen Sørensen Andersson Lindqvist Nyström Virtanen "
        "Järvinen García Fernández Núñez Muñoz Peña Ibáñez Gonçalves Araújo Magalhães "
        "Santos Rossi Bianchi Esposito De_Luca De_Vries Janssens Tanaka Suzuki "
        "Watanabe Yamamoto Nakamura Kobayashi Wang Li Zhang Liu Chen Huang Zhao Kim "
        "Lee Park Choi Nguyễn Trần Lê Phạm Sharma Patel Iyer Banerjee Reddy Okafor "
        "Adeyemi Mensah Diallo Traoré Ndiaye Kamara Mwangi Haddad Benali Mansour "
        "El_Amrani Öztürk Yılmaz Demir Çelik Novák Dvořák Horváth Nagy Kovács Popescu "
        "Ionescu Petrović Jovanović Ivanov Smirnov Kuznetsov Shevchenko Kovalenko "
        "Papadopoulos O’Brien Murphy Smith Johnson Williams Brown Taylor Wilson "
        "MacLeod Cohen Levi Friedman Silva Pereira Oliveira Rodríguez González "
        "Martínez López Hernández Sánchez Ramírez Castillo Vargas Rojas Quispe Mamani "
        "Tshabalala Dlamini Nkosi Åberg Ólafsson Fontaine Chevalier Gauthier Mercier"
    ).split()
]

# (French for a woman, for a man, English). In lower case: a title follows the name
# after a comma ("Jörg Kamara, directeur de recherche au CNRS"), as the public unit
# page shows a director; a name (CNRS) keeps its capitals.
DIRECTOR_TITLES = [
    (
        "directrice de recherche au CNRS",
        "directeur de recherche au CNRS",
        "CNRS research director",
    ),
    ("professeure", "professeur", "professor"),
    (
        "chargée de recherche au CNRS",
        "chargé de recherche au CNRS",
        "CNRS research scientist",
    ),
    ("directrice de l’unité", "directeur de l’unité", "director of the unit"),
]
LAUREATE_TITLES = [
    ("chercheuse", "chercheur", "researcher"),
    ("maîtresse de conférences", "maître de conférences", "associate professor"),
    ("ingénieure de recherche", "ingénieur de recherche", "research engineer"),
    ("chercheuse postdoctorale", "chercheur postdoctoral", "postdoctoral researcher"),
    *DIRECTOR_TITLES[:3],
]
# A unit's own title for its director (Unit.director_title), for one open unit in
# five: the others show the person's title. Epicene in French: the units' stage
# does not know the director's gender.
UNIT_DIRECTOR_TITLE = (
    "à la tête de l’unité depuis {year}",
    "head of the unit since {year}",
)

ACRONYM_HEADS = (
    "NANO BIO GEO ASTRO QUANT NEURO CLIM ECO CHEM MATH PHOTO HYDRO CRYO MAGN ARCH "
    "LING SOCIO OCEA VOLC GENO IMMUN SOL TERRA AQUA PLASMA COSMO HELIO ATOM"
).split()
ACRONYM_TAILS = (
    "TECH LAB SYS FLOW GEN DYN CELL NET MAP SCAPE MOD SPIN LINK CORE WAVE MIND "
    "PATH CYCLE FRONT EDGE LOGIC SENSE"
).split()
COMPANY_WORDS = (
    "Technologies Systems Pharma Biotech Instruments Materials Energy Robotics "
    "Analytics Photonics Labs Industries Semiconductors Aerospace Chemicals Genomics "
    "Optics Software Diagnostics Water"
).split()
LEGAL_FORMS = {
    "DE": " GmbH",
    "AT": " GmbH",
    "CH": " AG",
    "US": " Inc.",
    "GB": " Ltd",
    "IE": " Ltd",
    "JP": " K.K.",
    "ES": " S.A.",
    "MX": " S.A.",
    "AR": " S.A.",
    "IT": " S.p.A.",
    "NL": " B.V.",
    "BE": " SA",
    "SE": " AB",
    "BR": " Ltda.",
    "PL": " sp. z o.o.",
    "CA": " Inc.",
    "AU": " Pty Ltd",
    "IN": " Pvt. Ltd.",
}

# --- Name patterns --------------------------------------------------------------------
# French pattern, English pattern, originals by language. In French {de_c} is "de Lima",
# "d’Oxford" or "du Caire", {a_c} "à Lima" or "au Caire", {f} and {de_f} a field; in
# English {f} is the field in title case; {s} is a surname; originals use the local
# name of the city.
UNIVERSITY_NAMES = [
    (
        8,
        "Université {de_c}",
        "University of {c}",
        {
            "es": "Universidad de {c}",
            "pt": "Universidade de {c}",
            "de": "Universität {c}",
            "it": "Università di {c}",
            "nl": "Universiteit {c}",
            "sv": "{c} universitet",
        },
    ),
    (
        2,
        "Université nationale {de_c}",
        "{c} National University",
        {"es": "Universidad Nacional de {c}", "pt": "Universidade Nacional de {c}"},
    ),
    (
        3,
        "Université technique {de_c}",
        "{c} University of Technology",
        {
            "es": "Universidad Técnica de {c}",
            "pt": "Universidade Técnica de {c}",
            "de": "Technische Universität {c}",
            "it": "Politecnico di {c}",
            "nl": "Technische Universiteit {c}",
            "sv": "Tekniska högskolan i {c}",
        },
    ),
    (
        2,
        "Université d’État {de_c}",
        "{c} State University",
        {"es": "Universidad Estatal de {c}", "pt": "Universidade Estadual de {c}"},
    ),
    (
        1,
        "Université fédérale {de_c}",
        "Federal University of {c}",
        {"pt": "Universidade Federal de {c}"},
    ),
    (
        2,
        "Institut de technologie {de_c}",
        "{c} Institute of Technology",
        {"es": "Instituto Tecnológico de {c}", "pt": "Instituto de Tecnologia de {c}"},
    ),
    (
        2,
        "Université {s}",
        "{s} University",
        {
            "es": "Universidad {s}",
            "pt": "Universidade {s}",
            "de": "{s}-Universität",
            "it": "Università {s}",
            "nl": "{s} Universiteit",
        },
    ),
    (
        1,
        "Université catholique {de_c}",
        "Catholic University of {c}",
        {
            "es": "Universidad Católica de {c}",
            "pt": "Universidade Católica de {c}",
            "de": "Katholische Universität {c}",
            "it": "Università Cattolica di {c}",
            "nl": "Katholieke Universiteit {c}",
        },
    ),
    (
        1,
        "Université de médecine {de_c}",
        "{c} Medical University",
        {"de": "Medizinische Universität {c}", "es": "Universidad de Medicina de {c}"},
    ),
    (
        1,
        "Université des sciences et technologies {de_c}",
        "{c} University of Science and Technology",
        {
            "es": "Universidad de Ciencia y Tecnología de {c}",
            "pt": "Universidade de Ciência e Tecnologia de {c}",
        },
    ),
    (1, "École normale supérieure {de_c}", "{c} Normal University", {}),
    (
        1,
        "Université agronomique {de_c}",
        "{c} Agricultural University",
        {"es": "Universidad Agraria de {c}", "de": "Agraruniversität {c}"},
    ),
]
RESEARCH_NAMES = [
    (3, "Institut de recherche en {f} {de_c}", "{c} Institute for {f} Research", {}),
    (2, "Centre {s} de recherche en {f}", "{s} Centre for {f} Research", {}),
    (2, "Laboratoire national {de_f} {de_c}", "{c} National Laboratory for {f}", {}),
    (2, "Institut {s} {de_f}", "{s} Institute of {f}", {}),
    (1, "Institut d’études avancées {de_c}", "{c} Institute for Advanced Study", {}),
    (2, "Centre de recherche en {f} {de_c}", "{c} Research Centre for {f}", {}),
    (1, "Observatoire {de_c}", "{c} Observatory", {}),
]
FUNDER_NAMES = [
    (2, "Fondation {s} pour la science", "{s} Science Foundation", {}),
    (2, "Agence de la recherche {de_c}", "{c} Research Agency", {}),
    (1, "Fonds {s} pour la recherche", "{s} Research Fund", {}),
    (1, "Conseil de la recherche en {f}", "{f} Research Council", {}),
]
PUBLIC_BODY_NAMES = [
    (1, "Service géologique {de_c}", "{c} Geological Survey", {}),
    (1, "Muséum d’histoire naturelle {de_c}", "{c} Natural History Museum", {}),
    (1, "Agence de l’environnement {de_c}", "{c} Environment Agency", {}),
    (2, "Hôpital universitaire {de_c}", "{c} University Hospital", {}),
    (1, "Institut météorologique {de_c}", "{c} Meteorological Institute", {}),
    (1, "Bibliothèque scientifique {de_c}", "{c} Science Library", {}),
]
INTERNATIONAL_NAMES = [
    (2, "Centre international {de_f} {de_c}", "{c} International Centre for {f}", {}),
    (
        1,
        "Organisation internationale de recherche en {f}",
        "International Organisation for {f} Research",
        {},
    ),
    (1, "Institut international {s} {de_f}", "{s} International Institute of {f}", {}),
]
OTHER_NAMES = [
    (1, "Jardin botanique {de_c}", "{c} Botanical Garden", {}),
    (1, "Musée des sciences {de_c}", "{c} Science Museum", {}),
    (1, "Société {de_f} {de_c}", "{c} Society for {f}", {}),
    (1, "Station de recherche {s}", "{s} Research Station", {}),
]
IRL_NAMES = [
    (
        3,
        "Laboratoire international de recherche en {f} {a_c}",
        "International Research Laboratory for {f} in {c}",
        {},
    ),
    (2, "Laboratoire conjoint {de_f} {a_c}", "Joint Laboratory of {f} in {c}", {}),
    (
        1,
        "Unité mixte internationale {de_f} {a_c}",
        "International Joint Unit of {f} in {c}",
        {},
    ),
    (1, "Laboratoire {s} {de_f}", "{s} Laboratory of {f}", {}),
]
UMIFRE_NAMES = [
    (
        2,
        "Institut français de recherche en {f} {a_c}",
        "French Research Institute for {f} in {c}",
        {},
    ),
    (
        2,
        "Centre français d’études en {f} {a_c}",
        "French Centre for {f} Studies in {c}",
        {},
    ),
    (1, "Maison française {de_c}", "French House in {c}", {}),
]

# (kind, weight, name patterns); companies are named apart.
PARTNER_KINDS = [
    (PartnerKind.UNIVERSITY, 40, UNIVERSITY_NAMES),
    (PartnerKind.RESEARCH_ORGANISATION, 25, RESEARCH_NAMES),
    (PartnerKind.COMPANY, 15, None),
    (PartnerKind.PUBLIC_BODY, 8, PUBLIC_BODY_NAMES),
    (PartnerKind.FUNDING_AGENCY, 4, FUNDER_NAMES),
    (PartnerKind.INTERNATIONAL_ORGANISATION, 2, INTERNATIONAL_NAMES),
    (PartnerKind.OTHER, 6, OTHER_NAMES),
]


# --- The catalogue: the tables above, parsed once -------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = frozenset("AEIOUaeiouÀÂÄÉÈÊËÎÏÔÖÙÛÜàâäéèêëîïôöùûüŒœ")
# Words starting with a mute h take "d’" in French (d’histoire, d’Helsinki).
_MUTE_H = (
    "histoire", "hydrologie", "Helsinki", "Hiroshima", "Héraklion", "Honolulu",
    "Halifax", "Hyderabad", "Hobart", "Honiara", "Harare",
)  # fmt: skip


def slug_of(text: str) -> str:
    """Return ``text`` as a slug: ASCII, lower case, words joined by hyphens."""
    return _NON_ALNUM.sub("-", unaccent(text).lower()).strip("-")


def initials_of(text: str) -> str:
    """Return the unaccented initials of the capitalised words of ``text``."""
    words = re.split(r"[\s\-]+", text)
    return unaccent("".join(w[0] for w in words if w and w[0].isupper())).upper()


def french_of(name: str) -> str:
    """Return "de X", "d’X" or "du X", as French puts it before a name."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[0] in _VOWELS or name.startswith(_MUTE_H):
        return "d’" + name
    return "de " + name


def french_in(name: str) -> str:
    """Return "à X" or "au X", as French puts it before a city."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


def title_case(text: str) -> str:
    small = {"of", "and", "the", "in", "for"}
    return " ".join(w if w in small else w[0].upper() + w[1:] for w in text.split())


@dataclass(frozen=True, slots=True)
class City:
    country: str
    fr: str
    en: str
    local: str
    latitude: float
    longitude: float
    language: str
    de: str = ""
    at: str = ""
    slug: str = ""
    initials: str = ""

    @classmethod
    def make(cls, country, fr, en, local, latitude, longitude, language) -> "City":
        return cls(
            country, fr, en, local, latitude, longitude, language,
            de=french_of(fr), at=french_in(fr), slug=slug_of(en),
            initials=initials_of(en),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Field:
    fr: str
    en: str
    title: str
    de: str
    slug: str
    initials: str


@dataclass(frozen=True, slots=True)
class Surname:
    name: str
    slug: str
    initial: str


@dataclass(frozen=True, slots=True)
class Pattern:
    """A name pattern, with the slug and acronym its English name gives."""

    fr: str
    en: str
    originals: dict
    slug: str
    acronym: str

    @classmethod
    def make(cls, fr: str, en: str, originals: dict) -> "Pattern":
        tokens = {"{c}": "qqcqq", "{f}": "qqfqq", "{s}": "qqsqq"}
        slug = en
        for placeholder, token in tokens.items():
            slug = slug.replace(placeholder, f" {token} ")
        slug = slug_of(slug)
        for placeholder, token in tokens.items():
            slug = slug.replace(token, placeholder)
        acronym = ""
        for word in en.split():
            if word[0] == "{":
                acronym += "{" + word[1] + "i}"
            elif word[0].isupper():
                acronym += unaccent(word[0])
        return cls(fr, en, originals, slug, acronym)


@dataclass(frozen=True, slots=True)
class Choice:
    """Things to draw from, with their weights."""

    items: tuple
    cumulative: tuple
    total: float

    @classmethod
    def make(cls, pairs: Iterable[tuple[float, object]]) -> "Choice":
        weights, items = zip(*pairs, strict=True)
        cumulative = tuple(accumulate(weights))
        return cls(tuple(items), cumulative, cumulative[-1])

    def draw(self, rng: Random):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def _parse_cities(table: str) -> tuple[list[City], dict[str, list[int]], Choice]:
    cities, by_country, weights = [], {}, []
    # An indented line goes on with the country above it.
    for line in table.strip().replace("\n    ", " ").splitlines():
        head, _, rest = line.partition(": ")
        code, weight, language = head.split()
        indexes = by_country.setdefault(code, [])
        for entry in rest.split("; "):
            names, latitude, longitude = entry.rsplit(" ", 2)
            names, _, own_language = names.partition("@")
            fr, en, local = (names.split("/") + [None, None])[:3]
            en = en or fr
            indexes.append(len(cities))
            cities.append(
                City.make(
                    code,
                    fr,
                    en,
                    local or en,
                    float(latitude),
                    float(longitude),
                    own_language or language,
                )
            )
        weights.append((float(weight), code))
    return cities, by_country, Choice.make(weights)


CITIES, CITIES_BY_COUNTRY, COUNTRY_CHOICE = _parse_cities(_COUNTRY_TABLE)
FIELD_WORDS = [
    Field(
        fr, en, title_case(en), french_of(fr), slug_of(en), initials_of(title_case(en))
    )
    for fr, en in FIELDS
]
SURNAMES = [Surname(name, slug_of(name), initials_of(name)[:1]) for name in LAST_NAMES]


def _patterns(table) -> Choice:
    return Choice.make(
        (weight, Pattern.make(fr, en, originals)) for weight, fr, en, originals in table
    )


KIND_CHOICE = Choice.make(
    (weight, (kind, _patterns(table) if table else None))
    for kind, weight, table in PARTNER_KINDS
)
KIND_CODES = [kind for kind, _, _ in PARTNER_KINDS]
UNIT_PATTERNS = {
    UnitKind.IRL: _patterns(IRL_NAMES),
    UnitKind.UMIFRE: _patterns(UMIFRE_NAMES),
}


# --- Identifiers, in ranges real records never use ------------------------------------

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def ror_id_for(number: int) -> str:
    """Return a well-formed ROR id whose check digits are wrong, so never a real one."""
    if number >= 32**6:
        return ""
    checksum = 98 - (number * 100) % 97  # ISO 7064 mod 97-10, as ROR computes it
    digits = ""
    for _ in range(6):
        number, rest = divmod(number, 32)
        digits = _CROCKFORD[rest] + digits
    return f"0{digits}{(checksum + 1) % 100:02d}"


def orcid_for(number: int) -> str:
    """Return an ORCID in 0000-0000-…, a block ORCID never issues."""
    if number >= 10**7:
        return ""
    base = f"00000000{number:07d}"
    last = orcid_check_digit(base)
    return f"{base[:4]}-{base[4:8]}-{base[8:12]}-{base[12:]}{last}"


def pic_for(number: int) -> str:
    """Return a PIC starting with 1: real ones start with 8 or 9."""
    return f"1{number:08d}" if number < 10**8 else ""


def _money(low: float, high: float, rng: Random) -> str:
    return f"{rng.uniform(low, high):.2f}"


def _coordinate(value: float, limit: int) -> str:
    return f"{max(-limit, min(limit, value)):.6f}"


def _month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _dates(rng: Random, first_year: int, last_year: int, months: int):
    start = _month_start(rng.randint(first_year, last_year), rng.randint(1, 12))
    end = _month_start(start.year, start.month + months) - datetime.timedelta(days=1)
    return start, end


# --- What to generate -----------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    partners: int = 1_000_000
    units: int = 5_000
    grants: int = 100_000
    projects: int = 20_000

    @classmethod
    def scaled(cls, scale: float, **explicit: int | None) -> "Counts":
        """Multiply every default by ``scale``; counts given explicitly win."""
        defaults = cls()
        values = {
            name: round(getattr(defaults, name) * scale)
            if explicit.get(name) is None
            else explicit[name]
            for name in ("partners", "units", "grants", "projects")
        }
        return cls(**values)

    @property
    def people(self) -> int:
        """One director per unit, and a laureate for nine grants in ten."""
        return self.units + self.laureates

    @property
    def laureates(self) -> int:
        return math.ceil(self.grants * 0.9)


@dataclass
class Report:
    """How many rows of each kind were written or deleted, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, label: str, count: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + count

    def summary(self) -> str:
        parts = ", ".join(f"{count:,} {label}" for label, count in self.counts.items())
        return f"{parts or 'nothing'} in {format_duration(self.seconds)}"


def format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s"


class SyntheticDataError(Exception):
    """The synthetic data cannot be generated or deleted as asked."""


# --- Progress -------------------------------------------------------------------------


class Progress:
    """Draw one progress bar per table.

    On a terminal the bar is redrawn in place; elsewhere (a log, a pipe) a line is
    written every tenth of the way.
    """

    width = 30

    def __init__(self, write: Callable[[str], object], *, tty: bool):
        self.write = write
        self.tty = tty

    def start(self, label: str, total: int) -> "Bar":
        return Bar(self, label, total)


class Bar:
    def __init__(self, progress: Progress, label: str, total: int):
        self.progress = progress
        self.label = label
        self.total = total
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.tenths = 0

    def line(self, done: int) -> str:
        width = self.progress.width
        filled = width * done // self.total if self.total else width
        elapsed = time.monotonic() - self.started
        return (
            f"{self.label:<12}[{'#' * filled}{'.' * (width - filled)}]  "
            f"{done:,}/{self.total:,}  {format_duration(elapsed)}"
        )

    def update(self, done: int) -> None:
        if self.progress.tty:
            now = time.monotonic()
            if now - self.drawn_at >= 0.1 or done >= self.total:
                self.drawn_at = now
                self.progress.write("\r" + self.line(done))
        else:
            tenths = 10 * done // self.total if self.total else 10
            if tenths > self.tenths:
                self.tenths = tenths
                self.progress.write(self.line(done) + "\n")

    def finish(self) -> None:
        self.update(self.total)
        if self.progress.tty:
            self.progress.write("\n")


class SilentProgress(Progress):
    def __init__(self):
        super().__init__(lambda text: None, tty=False)


# --- Writing rows ---------------------------------------------------------------------


class Table:
    """The columns rows are written to; columns not given get the field's default."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], label: str):
        opts = model._meta
        given = [opts.get_field(name) for name in fields]
        rest = [f for f in opts.concrete_fields if f not in given and not f.primary_key]
        self.model = model
        self.label = label
        self.name = opts.db_table
        self.columns = [f.column for f in given + rest]
        self.padding = tuple(
            f.get_db_prep_save(f.get_default(), connection) for f in rest
        )


class Writer:
    """Write rows with COPY on PostgreSQL, with executemany elsewhere."""

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.tables: set[str] = set()

    def write(self, table: Table, rows: Iterable[tuple]) -> int:
        """Write ``rows`` (an iterable, consumed as it is written); return how many."""
        if table.padding:
            rows = (row + table.padding for row in rows)
        self.tables.add(table.name)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in table.columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgresql:
                sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
                        count += 1
            else:
                rows = list(rows)
                count = len(rows)
                if rows:
                    marks = ", ".join(["%s"] * len(table.columns))
                    sql = (
                        f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
                    )
                    cursor.executemany(sql, rows)
        return count

    def lock(self, models_: Iterable[type[models.Model]]) -> None:
        """Keep other writers out of the tables until the transaction ends."""
        if self.postgresql:
            names = ", ".join(
                connection.ops.quote_name(m._meta.db_table) for m in models_
            )
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")

    def reserve_ids(self, model: type[models.Model], count: int) -> int:
        """Return the first of ``count`` free ids; the sequence moves past the last."""
        quote = connection.ops.quote_name
        table, pk = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
            first = cursor.fetchone()[0] + 1
            if self.postgresql:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = max(first, cursor.fetchone()[0])
                if count:
                    cursor.execute(
                        "SELECT setval(%s, %s)", [sequence, first + count - 1]
                    )
            else:
                # SQLite's AUTOINCREMENT never hands out an id twice: neither do we.
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [table]
                )
                row = cursor.fetchone()
                first = max(first, row[0] + 1 if row else 1)
        return first

    def analyze(self) -> None:
        """Refresh the planner's statistics of the tables written to, and vacuum them.

        Vacuumed when no transaction is open (VACUUM cannot run in one): after a bulk
        load autovacuum would do it in the minutes that follow, a core busy merging
        the GIN indexes' pending entries while the first visitors search.
        """
        if self.postgresql:
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for name in sorted(self.tables):
                    cursor.execute(f"{command} {connection.ops.quote_name(name)}")


# --- Generating -----------------------------------------------------------------------


class PartnerPool:
    """The partners units and projects draw from: id, city, kind and year
    established by index.

    Arrays rather than objects, so that a million partners take a few megabytes.
    """

    def __init__(self):
        self.ids: Sequence[int] = array("q")
        self.city = array("I")  # index in self.cities
        self.kind = array("B")  # index in KIND_CODES
        self.established = array("H")  # 0: not known
        self.cities = list(CITIES)
        self.city_index = {(c.country, c.fr): i for i, c in enumerate(CITIES)}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_database(cls) -> "PartnerPool":
        """Gather the synthetic partners already in the database."""
        pool = cls()
        rows = (
            Partner.objects.filter(synthetic=True)
            .order_by("pk")
            .values_list("pk", "country", "city_fr", "city_en", "kind", "established")
        )
        kinds = {kind: index for index, kind in enumerate(KIND_CODES)}
        for pk, country, city_fr, city_en, kind, established in rows.iterator(
            chunk_size=10_000
        ):
            key = (country, city_fr)
            if key not in pool.city_index:
                known = CITIES_BY_COUNTRY.get(country)
                if known:
                    pool.city_index[key] = known[0]
                else:
                    name = city_fr or str(country)
                    pool.city_index[key] = len(pool.cities)
                    pool.cities.append(
                        City.make(country, name, city_en or name, name, 0, 0, "-")
                    )
            pool.ids.append(pk)
            pool.city.append(pool.city_index[key])
            pool.kind.append(kinds.get(kind, KIND_CODES.index(PartnerKind.OTHER)))
            pool.established.append(established or 0)
        return pool


class UnitPool:
    """The units grants and projects are held in: id, creation and closure years
    by index (0: not known, or not closed), and which of them were open in given
    years."""

    def __init__(self):
        self.ids: Sequence[int] = array("q")
        self.created = array("H")
        self.closed = array("H")
        self.open_by_years: dict[tuple[int, int], Sequence[int]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_database(cls) -> "UnitPool":
        """Gather the synthetic units already in the database, in the order of
        their ids: the same seed draws the same ones."""
        pool = cls()
        rows = (
            Unit.objects.filter(synthetic=True)
            .order_by("pk")
            .values_list("pk", "creation_year", "closure_year")
        )
        for pk, created, closed in rows.iterator(chunk_size=10_000):
            pool.ids.append(pk)
            pool.created.append(created or 0)
            pool.closed.append(closed or 0)
        return pool

    def open_in(self, first: int, last: int) -> Sequence[int]:
        """Return the indexes of the units open from year ``first`` to ``last``:
        created in ``first`` or before, not closed before ``last``.

        Worked out once per pair of years (a few hundred pairs, whatever the
        number of grants and projects), in arrays: a few megabytes at 5,000 units.
        """
        key = (first, last)
        found = self.open_by_years.get(key)
        if found is None:
            found = self.open_by_years[key] = array(
                "I",
                (
                    index
                    for index, (created, closed) in enumerate(
                        zip(self.created, self.closed, strict=True)
                    )
                    if created <= first and (not closed or closed >= last)
                ),
            )
        return found


class Generator:
    """Write one synthetic data set; ``run()`` does it all in one transaction."""

    def __init__(self, counts: Counts, *, seed: int, batch_size: int, progress):
        self.counts = counts
        self.seed = seed
        self.batch_size = batch_size
        self.progress = progress
        self.report = Report()
        self.writer = Writer()
        now = timezone.now()
        self.now = connection.ops.adapt_datetimefield_value(now)

    def rng(self, stage: str) -> Random:
        """Return a random generator of its own for each stage, from the seed."""
        # A stage's rows do not change when another stage's count does.
        return Random(f"{self.seed}:{stage}")

    def run(self) -> Report:
        started = time.monotonic()
        counts = self.counts
        with transaction.atomic():
            # Other writers wait: the ids reserved below stay ours.
            self.writer.lock((Partner, Person, Unit, Grant, Project))
            self.institutes = ensure_institutes()
            self.programmes = ensure_programmes()
            self.first = {
                model: self.writer.reserve_ids(model, count) if count else 0
                for model, count in (
                    (Partner, counts.partners),
                    (Person, counts.people),
                    (Unit, counts.units),
                    (Grant, counts.grants),
                    (Project, counts.projects),
                )
            }
            with search_words_added_by_caller(connection):
                self.partners = self.write_partners()
            self.add_search_words(Partner, counts.partners)
            if (counts.units or counts.projects) and not self.partners:
                self.partners = PartnerPool.from_database()
                if not self.partners:
                    raise SyntheticDataError(
                        "Units and projects need partners: generate some too."
                    )
            with search_words_added_by_caller(connection):
                self.write_people()
            self.add_search_words(Person, counts.people)
            with search_words_added_by_caller(connection):
                self.units = self.write_units()
            self.add_search_words(Unit, counts.units)
            if not counts.units and (counts.grants or counts.projects):
                self.units = UnitPool.from_database()
            with search_words_added_by_caller(connection):
                self.write_grants()
                self.write_projects()
            self.add_search_words(Grant, counts.grants)
            self.add_search_words(Project, counts.projects)
        self.writer.analyze()
        self.report.seconds = time.monotonic() - started
        return self.report

    def add_search_words(self, model, count: int) -> None:
        """Add the words of the ``count`` records of ``model`` written to its
        table of known words: the triggers left them to us."""
        if count:
            first = self.first[model]
            add_search_words(
                connection, range(first, first + count), model._meta.db_table
            )

    def batches(self, label: str, total: int, tables: Sequence[Table], make_row):
        """Write ``total`` records in batches.

        ``make_row(i, *lists)`` returns the row of record ``i`` for the first table
        and appends its linked rows to one list per other table. The rows stream to
        the database while they are made: PostgreSQL works while Python computes.
        """
        main, *others = tables
        bar = self.progress.start(label, total)

        def rows(start, stop, linked):
            for index in range(start, stop):
                if index % 1000 == 0:
                    bar.update(index)
                yield make_row(index, *linked)

        for start in range(0, total, self.batch_size):
            stop = min(total, start + self.batch_size)
            linked = tuple([] for _ in others)
            written = self.writer.write(main, rows(start, stop, linked))
            self.report.add(main.label, written)
            for table, linked_rows in zip(others, linked, strict=True):
                self.report.add(table.label, self.writer.write(table, linked_rows))
            bar.update(stop)
        bar.finish()

    def table(self, model, label: str, fields: Sequence[str]) -> Table:
        table = Table(model, fields, label)
        self.report.counts.setdefault(label, 0)
        return table

    # Partners.

    def write_partners(self) -> PartnerPool:
        total = self.counts.partners
        pool = PartnerPool()
        if not total:
            return pool
        first = self.first[Partner]
        pool.ids = range(first, first + total)
        table = self.table(Partner, "partners", PARTNER_FIELDS)
        rng = self.rng("partners")
        random, now = rng.random, self.now
        city_index = pool.city_index
        university = KIND_CODES.index(PartnerKind.UNIVERSITY)
        research = KIND_CODES.index(PartnerKind.RESEARCH_ORGANISATION)
        company = KIND_CODES.index(PartnerKind.COMPANY)
        last_university: dict[str, int] = {}

        def make(index):
            pk = first + index
            kind, patterns = KIND_CHOICE.draw(rng)
            code = COUNTRY_CHOICE.draw(rng)
            in_country = CITIES_BY_COUNTRY[code]
            # Earlier cities (capitals, large cities) come up more often.
            r = random()
            city = CITIES[in_country[int(len(in_country) * r * r)]]
            surname = SURNAMES[int(random() * len(SURNAMES))]
            if patterns is None:
                word = COMPANY_WORDS[int(random() * len(COMPANY_WORDS))]
                if random() < 0.3:
                    name = f"{city.en} {word}{LEGAL_FORMS.get(code, '')}"
                else:
                    name = f"{surname.name} {word}{LEGAL_FORMS.get(code, '')}"
                name_fr = name_en = name
                slug, acronym, original = slug_of(name), "", ""
            else:
                pattern = patterns.draw(rng)
                topic = FIELD_WORDS[int(random() * len(FIELD_WORDS))]
                name_fr = pattern.fr.format(
                    de_c=city.de, a_c=city.at, f=topic.fr, de_f=topic.de, s=surname.name
                )
                name_en = pattern.en.format(c=city.en, f=topic.title, s=surname.name)
                slug = pattern.slug.format(c=city.slug, f=topic.slug, s=surname.slug)
                acronym = (
                    pattern.acronym.format(
                        ci=city.initials, fi=topic.initials, si=surname.initial
                    )
                    if random() < 0.6
                    else ""
                )
                original = pattern.originals.get(city.language, "")
                if original:
                    original = original.format(c=city.local, s=surname.name)
            kind_index = KIND_CODES.index(kind)
            parent = None
            if kind_index == university:
                last_university[code] = pk
            elif kind_index == research and random() < 0.2:
                parent = last_university.get(code)
            if random() < 0.7:
                if kind_index == university:
                    established = max(1088, 2020 - int(rng.expovariate(1 / 70)))
                else:
                    established = max(1850, 2020 - int(rng.expovariate(1 / 35)))
            else:
                established = None
            pool.city.append(city_index[(code, city.fr)])
            pool.kind.append(kind_index)
            pool.established.append(established or 0)
            return (
                pk, now, now, PUBLISHED, name_fr, name_fr, name_en, original,
                city.language if original else "", acronym[:50],
                f"{slug[:200]}-{pk}", kind, code,
                city.fr, city.fr, city.en,
                _coordinate(city.latitude + (random() - 0.5) * 0.2, 90),
                _coordinate(city.longitude + (random() - 0.5) * 0.2, 180),
                f"https://{slug[:50].strip('-')}.example/" if random() < 0.6
                else "",
                ror_id_for(pk) if kind_index != company and random() < 0.5 else "",
                pic_for(pk) if random() < 0.25 else "",
                PartnerStatus.CLOSED if random() < 0.03 else PartnerStatus.ACTIVE,
                established, parent, True,
            )  # fmt: skip

        self.batches("partners", total, [table], make)
        return pool

    # People.

    def write_people(self) -> None:
        total = self.counts.people
        if not total:
            return
        first, directors = self.first[Person], self.counts.units
        table = self.table(Person, "people", PERSON_FIELDS)
        rng = self.rng("people")
        random, now = rng.random, self.now

        def make(index):
            pk = first + index
            first_name, gender = FIRST_NAMES[int(random() * len(FIRST_NAMES))]
            last_name = LAST_NAMES[int(random() * len(LAST_NAMES))]
            titles = DIRECTOR_TITLES if index < directors else LAUREATE_TITLES
            woman, man, title_en = titles[int(random() * len(titles))]
            title_fr = woman if gender == "f" else man
            orcid = orcid_for(pk) if random() < 0.7 else ""
            return (
                pk, now, now, first_name, last_name, orcid, title_fr, title_fr,
                title_en, True,
            )  # fmt: skip

        self.batches("people", total, [table], make)

    # Units, their partnerships and secondary institutes.

    def write_units(self) -> UnitPool:
        total = self.counts.units
        unit_pool = UnitPool()
        if not total:
            return unit_pool
        first, first_director = self.first[Unit], self.first[Person]
        unit_pool.ids = range(first, first + total)
        units = self.table(Unit, "units", UNIT_FIELDS)
        partnerships = self.table(
            UnitPartnership, "unit partnerships", ("unit", "partner", "role", "order")
        )
        secondary = self.table(
            Unit.secondary_institutes.through,
            "secondary institutes",
            ("unit", "institute"),
        )
        rng = self.rng("units")
        random, now = rng.random, self.now
        # Of their own: the units' other columns stay those of the same seed before.
        titles = self.rng("units' director titles")
        pool, institutes = self.partners, self.institutes
        hosts = {KIND_CODES.index(k) for k in ("university", "research_organisation")}
        taken = set(Unit.objects.exclude(code="").values_list("code", flat=True))
        roles = Choice.make(
            [(7, PartnerRole.PARTNER), (1.5, PartnerRole.INDUSTRIAL), (1.5, "funder")]
        )

        def make(index, partnership_rows, secondary_rows):
            pk = first + index
            for _ in range(5):  # a university or laboratory hosts it, when one is found
                host = int(random() * len(pool))
                if pool.kind[host] in hosts:
                    break
            city = pool.cities[pool.city[host]]
            kind = UnitKind.IRL if random() < 0.85 else UnitKind.UMIFRE
            pattern = UNIT_PATTERNS[kind].draw(rng)
            topic = FIELD_WORDS[int(random() * len(FIELD_WORDS))]
            surname = SURNAMES[int(random() * len(SURNAMES))]
            name_fr = pattern.fr.format(
                de_c=city.de, a_c=city.at, f=topic.fr, de_f=topic.de, s=surname.name
            )
            name_en = pattern.en.format(c=city.en, f=topic.title, s=surname.name)
            acronym = pattern.acronym.format(
                ci=city.initials, fi=topic.initials, si=surname.initial
            )[:8]
            prefix = "IRL" if kind == UnitKind.IRL else "UMIFRE"
            code = f"{prefix} {10_000 + pk}" if pk < 90_000 else ""
            # A UMI holds its number as an IRL too (unit_unique_irl_number).
            if code in taken or f"UMI {10_000 + pk}" in taken:
                code = ""
            if kind == UnitKind.IRL:
                created = rng.randint(1995, 2024)
            else:
                created = rng.randint(1950, 2020)
            # Not before its host institution.
            created = max(created, min(pool.established[host], 2024))
            closed = random() < 0.08
            themes = rng.sample(THEMES, rng.randint(2, 4))
            lead = institutes[int(random() * len(institutes))]
            others = rng.sample(range(len(pool)), rng.randint(0, 2))
            partnership_rows.append((pk, pool.ids[host], PartnerRole.HOST, 1))
            order = 2
            for other in others:
                if other != host:
                    partnership_rows.append(
                        (pk, pool.ids[other], roles.draw(rng), order)
                    )
                    order += 1
            for institute in rng.sample(institutes, min(len(institutes), 3)):
                if institute != lead and random() < 0.3:
                    secondary_rows.append((pk, institute))
            title_fr = title_en = ""
            if not closed and titles.random() < 0.2:
                year = titles.randint(max(created, 2015), 2025)
                title_fr, title_en = (t.format(year=year) for t in UNIT_DIRECTOR_TITLE)
            closure = min(2025, created + rng.randint(4, 20)) if closed else None
            unit_pool.created.append(created)
            unit_pool.closed.append(closure or 0)
            return (
                pk, now, now, PUBLISHED, kind, code, acronym,
                f"{acronym.lower()}-{pk}", name_fr, name_fr, name_en,
                *_unit_description(created, city, themes),
                city.fr, city.fr, city.en, city.country,
                _coordinate(city.latitude + (random() - 0.5) * 0.1, 90),
                _coordinate(city.longitude + (random() - 0.5) * 0.1, 180),
                lead,
                first_director + index,
                title_fr, title_fr, title_en,
                created,
                closure,
                UnitStatus.CLOSED if closed else UnitStatus.ACTIVE,
                f"UMI {10_000 + pk}" if code and created < 2020 and random() < 0.3
                else "",
                f"https://{acronym.lower()}-{pk}.example/" if random() < 0.7
                else "",
                True,
            )  # fmt: skip

        self.batches("units", total, [units, partnerships, secondary], make)
        return unit_pool

    # Grants.

    def write_grants(self) -> None:
        total = self.counts.grants
        if not total:
            return
        first, laureates = self.first[Grant], self.counts.laureates
        first_laureate = self.first[Person] + self.counts.units
        table = self.table(Grant, "grants", GRANT_FIELDS)
        rng = self.rng("grants")
        random, now = rng.random, self.now
        units, institutes = self.units, self.institutes
        programmes = self.programmes
        panels = ErcPanel.values

        def make(index):
            pk = first + index
            scheme, former, since, months, amount = GRANT_SCHEMES.draw(rng)
            call_year = rng.randint(since, 2025)
            if former and call_year < 2021:
                scheme = former
            start, end = _dates(rng, call_year + 1, call_year + 1, months)
            acronym = _acronym(rng)
            title_fr, title_en, summary_fr, summary_en = _title_and_summary(rng)
            laureate = index if index < laureates else int(random() * laureates)
            has_panel = scheme in ("erc_stg", "erc_cog", "erc_adg")
            host_laboratory = (
                f"UMR {rng.randint(5001, 9999)} – {_lab_acronym(rng)}"
                if random() < 0.7
                else ""
            )
            # One grant in seven is held in a joint unit, one open from the call to
            # the grant's end, if any.
            unit = None
            if units and random() < 0.15:
                open_units = units.open_in(call_year, end.year)
                drawn = random()
                if open_units:
                    unit = units.ids[open_units[int(drawn * len(open_units))]]
            return (
                pk, now, now, PUBLISHED, scheme,
                programmes["erc" if scheme.startswith("erc_") else "msca"],
                acronym, f"{acronym.lower()}-{pk}",
                title_fr, title_fr, title_en, summary_fr, summary_fr, summary_en,
                first_laureate + laureate, host_laboratory, unit,
                institutes[int(random() * len(institutes))],
                panels[int(random() * len(panels))] if has_panel else "",
                call_year, start, end,
                _money(amount * 0.8, amount * 1.2, rng),
                f"{900_000_000 + pk}" if pk < 100_000_000 else "",
                True,
            )  # fmt: skip

        self.batches("grants", total, [table], make)

    # Projects, their participants and units.

    def write_projects(self) -> None:
        total = self.counts.projects
        if not total:
            return
        first = self.first[Project]
        projects = self.table(Project, "projects", PROJECT_FIELDS)
        participants = self.table(
            ProjectParticipant,
            "project participants",
            ("project", "partner", "role", "eu_contribution"),
        )
        project_units = self.table(
            Project.units.through, "project units", ("project", "unit")
        )
        rng = self.rng("projects")
        random, now = rng.random, self.now
        pool, units, programmes = self.partners, self.units, self.programmes
        company = KIND_CODES.index(PartnerKind.COMPANY)
        challenges = SocietalChallenge.values
        others = Choice.make(
            [
                (8, ParticipantRole.PARTICIPANT),
                (1.5, ParticipantRole.ASSOCIATED_PARTNER),
                (0.5, ParticipantRole.THIRD_PARTY),
            ]
        )

        def make(index, participant_rows, unit_rows):
            pk = first + index
            kind = PROJECT_KINDS.draw(rng)
            acronym = _acronym(rng)
            title_fr, title_en, summary_fr, summary_en = _title_and_summary(rng)
            challenge, cnrs_role, cordis_id = "", "", ""
            total_cost = eu_contribution = None
            if kind == ProjectKind.EU_PROJECT:
                horizon_2020 = random() < 0.6
                programme = "horizon-2020" if horizon_2020 else "horizon-europe"
                start, end = _dates(
                    rng, *((2015, 2021) if horizon_2020 else (2022, 2025)),
                    rng.choice((36, 48, 60)),
                )  # fmt: skip
                if horizon_2020 and random() < 0.5:
                    challenge = challenges[int(random() * len(challenges))]
                cnrs_role = (
                    CnrsRole.COORDINATOR if random() < 0.3 else CnrsRole.PARTICIPANT
                )
                cost = rng.uniform(1e6, 15e6)
                total_cost = f"{cost:.2f}"
                eu_contribution = f"{cost * rng.uniform(0.6, 1.0):.2f}"
                if pk < 100_000_000:
                    cordis_id = f"{800_000_000 + pk}"
            else:
                programme = kind  # the irp, irn and iea programmes
                months = 24 if kind == ProjectKind.IEA else 60
                start, end = _dates(rng, 2015, 2025, months)
            chosen = rng.sample(range(len(pool)), min(len(pool), rng.randint(3, 10)))
            # Institutions established by the project's start: another for one
            # established later, drawn a few times at most.
            late = [p for p in chosen if pool.established[p] > start.year]
            if late:
                chosen = [p for p in chosen if pool.established[p] <= start.year]
                taken = set(chosen)
                for _ in late:
                    for _attempt in range(10):
                        other = int(random() * len(pool))
                        if pool.established[other] <= start.year and other not in taken:
                            chosen.append(other)
                            taken.add(other)
                            break
            countries = {pool.cities[pool.city[p]].country for p in chosen}
            companies = sum(1 for p in chosen if pool.kind[p] == company)
            row = (
                pk, now, now, PUBLISHED, kind, programmes[programme], acronym,
                f"{acronym.lower()}-{pk}",
                title_fr, title_fr, title_en, summary_fr, summary_fr, summary_en,
                challenge, cnrs_role, start, end, total_cost, eu_contribution,
                rng.randint(5, 200), len(countries) + 1, companies,
                f"https://{acronym.lower()}-{pk}.example/" if random() < 0.5
                else "",
                cordis_id, True,
            )  # fmt: skip
            shares = [random() for _ in chosen]
            scale = float(eu_contribution) * 0.5 / sum(shares) if eu_contribution else 0
            for position, (partner, share) in enumerate(
                zip(chosen, shares, strict=True)
            ):
                if position == 0 and cnrs_role == CnrsRole.PARTICIPANT:
                    role = ParticipantRole.COORDINATOR
                else:
                    role = others.draw(rng)
                contribution = f"{share * scale:.2f}" if eu_contribution else None
                participant_rows.append((pk, pool.ids[partner], role, contribution))
            # Three projects in ten in joint units open from their start to
            # their end, if any.
            if units and random() < 0.3:
                open_units = units.open_in(start.year, end.year)
                for unit in rng.sample(open_units, min(len(open_units), 2)):
                    unit_rows.append((pk, units.ids[unit]))
            return row

        self.batches("projects", total, [projects, participants, project_units], make)


PARTNER_FIELDS = (
    "id", "created", "updated", "publication_status", "name", "name_fr", "name_en",
    "original_name", "original_name_language", "acronym", "slug", "kind",
    "country", "city", "city_fr",
    "city_en", "latitude", "longitude", "website", "ror_id", "pic", "status",
    "established", "parent", "synthetic",
)  # fmt: skip
PERSON_FIELDS = (
    "id", "created", "updated", "first_name", "last_name", "orcid", "title",
    "title_fr", "title_en", "synthetic",
)  # fmt: skip
UNIT_FIELDS = (
    "id", "created", "updated", "publication_status", "kind", "code", "acronym",
    "slug", "name", "name_fr", "name_en", "description", "description_fr",
    "description_en", "themes", "themes_fr", "themes_en", "city", "city_fr",
    "city_en", "country", "latitude", "longitude", "lead_institute", "director",
    "director_title", "director_title_fr", "director_title_en", "creation_year",
    "closure_year", "status", "predecessor_code", "website", "synthetic",
)  # fmt: skip
GRANT_FIELDS = (
    "id", "created", "updated", "publication_status", "scheme", "programme",
    "acronym", "slug", "title", "title_fr", "title_en", "summary", "summary_fr",
    "summary_en", "laureate", "host_laboratory", "unit", "institute", "panel",
    "call_year", "start_date", "end_date", "amount", "cordis_id", "synthetic",
)  # fmt: skip
PROJECT_FIELDS = (
    "id", "created", "updated", "publication_status", "kind", "programme",
    "acronym", "slug", "title", "title_fr", "title_en", "summary", "summary_fr",
    "summary_en", "societal_challenge", "cnrs_role", "start_date", "end_date",
    "total_cost", "eu_contribution", "researcher_count", "country_count",
    "industrial_partner_count", "website", "cordis_id", "synthetic",
)  # fmt: skip

# (weight, (scheme, its former name, first call year, months, typical amount))
GRANT_SCHEMES = Choice.make(
    [
        (25, ("erc_stg", None, 2007, 60, 1_500_000)),
        (17, ("erc_cog", None, 2013, 60, 2_000_000)),
        (12, ("erc_adg", None, 2008, 60, 2_500_000)),
        (2, ("erc_syg", None, 2018, 72, 10_000_000)),
        (4, ("erc_poc", None, 2011, 18, 150_000)),
        (25, ("msca_pf", "msca_if", 2014, 24, 200_000)),
        (8, ("msca_dn", "msca_itn", 2007, 48, 3_000_000)),
        (4, ("msca_se", "msca_rise", 2014, 48, 1_000_000)),
        (3, ("msca_cofund", None, 2007, 60, 5_000_000)),
    ]
)
PROJECT_KINDS = Choice.make(
    [
        (50, ProjectKind.EU_PROJECT),
        (25, ProjectKind.IRP),
        (15, ProjectKind.IRN),
        (10, ProjectKind.IEA),
    ]
)


def _acronym(rng: Random) -> str:
    head = ACRONYM_HEADS[int(rng.random() * len(ACRONYM_HEADS))]
    tail = ACRONYM_TAILS[int(rng.random() * len(ACRONYM_TAILS))]
    return f"{head}{tail}{rng.randint(2, 9)}" if rng.random() < 0.2 else head + tail


def _lab_acronym(rng: Random) -> str:
    letters = "ABCDEGHIMNOPRST"
    return "L" + "".join(rng.choice(letters) for _ in range(rng.randint(2, 4)))


def _title_and_summary(rng: Random) -> tuple[str, str, str, str]:
    random = rng.random
    verb_fr, verb_en, infinitive = VERBS[int(random() * len(VERBS))]
    topic_fr, topic_en = TOPICS[int(random() * len(TOPICS))]
    context_fr, context_en = CONTEXTS[int(random() * len(CONTEXTS))]
    (method1_fr, method1_en), (method2_fr, method2_en) = rng.sample(METHODS, 2)
    title_fr = f"{verb_fr} {topic_fr} {context_fr}".strip()
    title_en = f"{verb_en} {topic_en} {context_en}".strip()
    summary_fr = (
        f"Ce projet vise à {title_fr[0].lower()}{title_fr[1:]}, en combinant "
        f"{method1_fr} et {method2_fr}."
    )
    summary_en = (
        f"This project sets out to {infinitive} {topic_en} {context_en}".strip()
        + f", combining {method1_en} and {method2_en}."
    )
    return title_fr, title_en, summary_fr, summary_en


def _unit_description(created: int, city: City, themes) -> tuple[str, ...]:
    description_fr = (
        f"Créée en {created}, cette unité réunit {city.at} des chercheurs du CNRS et "
        f"de ses partenaires autour de {len(themes)} thèmes de recherche."
    )
    description_en = (
        f"Set up in {created}, this unit brings together CNRS researchers and their "
        f"partners in {city.en} around {len(themes)} research themes."
    )
    themes_fr = "\n".join(fr for fr, _ in themes)
    themes_en = "\n".join(en for _, en in themes)
    return (
        description_fr, description_fr, description_en,
        themes_fr, themes_fr, themes_en,
    )  # fmt: skip


def ensure_institutes() -> list[int]:
    """Return the ids of the CNRS institutes, the ten created if none exist."""
    if not Institute.objects.exists():
        for row in CNRS_INSTITUTES:
            Institute.objects.create(**row)
    return list(Institute.objects.order_by("code").values_list("pk", flat=True))


PROGRAMME_SLUGS = ("erc", "msca", "horizon-2020", "horizon-europe", "irp", "irn", "iea")


def ensure_programmes() -> dict[str, int]:
    """Return the ids of the programmes grants and projects need, by slug.

    A missing one is created, published, from the demo data.
    """
    found = dict(
        Programme.objects.filter(slug__in=PROGRAMME_SLUGS).values_list("slug", "pk")
    )
    for row in demo_data.PROGRAMMES:
        if row["slug"] in PROGRAMME_SLUGS and row["slug"] not in found:
            values = expand(row)
            values.setdefault("publication_status", PUBLISHED)
            values.pop("parent", None)
            found[row["slug"]] = Programme.objects.create(**values).pk
    return found


def generate(
    counts: Counts, *, seed: int = 0, batch_size: int = 10_000, progress=None
) -> Report:
    """Write a synthetic data set of ``counts`` in one transaction."""
    if min(counts.partners, counts.units, counts.grants, counts.projects) < 0:
        raise SyntheticDataError("Counts cannot be negative.")
    if batch_size < 1:
        raise SyntheticDataError("The batch size must be at least 1.")
    generator = Generator(
        counts, seed=seed, batch_size=batch_size, progress=progress or SilentProgress()
    )
    report = generator.run()
    # Written with COPY, past the signals that invalidate cached pages.
    content_changed()
    partners_written_in_bulk()
    return report


# --- Deleting -------------------------------------------------------------------------

# Parents after the records that point to them: grants name units and people, units
# name people, and so on.
SYNTHETIC_MODELS = (Grant, Project, Unit, Person, Partner)


def delete_synthetic() -> Report:
    """Delete every synthetic record, in a few SQL statements and one transaction.

    Links to a synthetic record (unit partnerships, project participants, the
    many-to-many tables) go with it; a real record pointing to one through a nullable
    foreign key loses the link; a real record that would block the deletion (a grant
    whose laureate is synthetic) stops it with an error, before anything is deleted.
    """
    started = time.monotonic()
    report = Report({_label(model): 0 for model in reversed(SYNTHETIC_MODELS)})
    quote = connection.ops.quote_name
    links = _link_models()
    with transaction.atomic(), connection.cursor() as cursor:
        blocking = []
        for model in SYNTHETIC_MODELS:
            for rel in _relations_to(model, links):
                if rel.on_delete in (models.PROTECT, models.RESTRICT):
                    table, where, params = _real_rows_pointing(rel)
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE {where}", params
                    )
                    if count := cursor.fetchone()[0]:
                        label = rel.related_model._meta.label
                        blocking.append(f"{count} {label} through {rel.field.name}")
        if blocking:
            raise SyntheticDataError(
                "Real records point to synthetic ones: "
                + ", ".join(blocking)
                + ". Change or delete them first."
            )
        for link in links:
            conditions, params = [], []
            for fk in link._meta.concrete_fields:
                if fk.is_relation and fk.related_model in SYNTHETIC_MODELS:
                    conditions.append(f"{quote(fk.column)} IN ({_synthetic_ids(fk)})")
                    params.append(True)
            table = quote(link._meta.db_table)
            where = " OR ".join(conditions)
            cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
            if cursor.rowcount:
                report.add(_label(link), cursor.rowcount)
        for model in SYNTHETIC_MODELS:
            for rel in _relations_to(model, links):
                table, where, params = _real_rows_pointing(rel)
                if rel.on_delete is models.SET_NULL:
                    column = quote(rel.field.column)
                    sql = f"UPDATE {table} SET {column} = NULL WHERE {where}"
                    cursor.execute(sql, params)
                elif rel.on_delete is models.CASCADE:
                    cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
            table = quote(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE synthetic = %s", [True])
            report.add(_label(model), cursor.rowcount)
    content_changed()  # deleted in SQL, past the signals
    partners_written_in_bulk()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (*SYNTHETIC_MODELS, *links):
                cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
    report.seconds = time.monotonic() - started
    return report


def _label(model) -> str:
    """Name ``model`` in the report as ``generate()`` does."""
    labels = {
        Partner: "partners",
        Person: "people",
        Unit: "units",
        Grant: "grants",
        Project: "projects",
        UnitPartnership: "unit partnerships",
        ProjectParticipant: "project participants",
        Unit.secondary_institutes.through: "secondary institutes",
        Project.units.through: "project units",
    }
    return labels.get(model, model._meta.db_table)


def _synthetic_ids(fk: models.ForeignKey) -> str:
    """Return the query of the synthetic ids ``fk`` may point to (one parameter)."""
    quote = connection.ops.quote_name
    target = fk.related_model._meta
    pk, table = quote(target.pk.column), quote(target.db_table)
    return f"SELECT {pk} FROM {table} WHERE synthetic = %s"


def _link_models() -> list[type[models.Model]]:
    """Return the through models of the many-to-many relations of synthetic models."""
    links = []
    for model in SYNTHETIC_MODELS:
        for rel in model._meta.get_fields():
            if not rel.many_to_many:
                continue
            through = (
                rel.remote_field.through
                if isinstance(rel, models.ManyToManyField)
                else rel.through
            )
            if through not in links:
                links.append(through)
    return links


def _relations_to(model, links):
    """Yield the foreign keys to ``model`` from other tables than ``links``."""
    for rel in model._meta.related_objects:
        if rel.many_to_many or rel.related_model in links:
            continue
        if rel.on_delete is not models.DO_NOTHING:
            yield rel


def _real_rows_pointing(rel) -> tuple[str, str, list]:
    """Return table, condition and parameters of real rows ``rel`` ties to synthetic."""
    quote = connection.ops.quote_name
    model = rel.related_model
    where = f"{quote(rel.field.column)} IN ({_synthetic_ids(rel.field)})"
    params = [True]
    if model in SYNTHETIC_MODELS:
        where += " AND synthetic = %s"
        params.append(False)
    return quote(model._meta.db_table), where, params
