//! The request/response examples of ines-wire.md §8, copied verbatim (the session id in each
//! is `9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8`).

/// §8.2 Login, failure
pub const LOGIN_FAILED_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <authenticationWs xmlns="http://webservice.ines.fr">
  <request><compte>ACME</compte><userName>jdupont</userName><password>wrong</password></request></authenticationWs>
</soap:Body></soap:Envelope>"#;
pub const LOGIN_FAILED_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
  <authenticationWsResponse xmlns="http://webservice.ines.fr"><authenticationWsResult>
    <codeReturn>failed</codeReturn><idSession/>
  </authenticationWsResult></authenticationWsResponse>
</soap:Body></soap:Envelope>"#;

/// §8.3 AddClientWithContacts
pub const ADD_CLIENT_WITH_CONTACTS_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><AddClientWithContacts xmlns="http://webservice.ines.fr"><client>
  <Confidentiality>Undefined</Confidentiality><CompanyName>Dupont SA</CompanyName><Type>3</Type><Service/>
  <Address1>1 rue de la Paix</Address1><Address2/><ZipCode>75002</ZipCode><City>Paris</City><State/><Country>France</Country>
  <Phone>0140000000</Phone><Fax/><Website>https://dupont.example</Website><Comments/><Manager>0</Manager>
  <SalesResponsable>0</SalesResponsable><TechnicalResponsable>0</TechnicalResponsable><CreationDate>2024-05-14T09:30:00</CreationDate>
  <ModifiedDate>2024-05-14T09:30:00</ModifiedDate><Origin>0</Origin><CustomerNumber>0</CustomerNumber><CompanyTaxCode/>
  <VatTax>0</VatTax><Bank/><BankAccount/><PaymentMethod/><PaymentMethodRef>1</PaymentMethodRef><Discount>0</Discount>
  <HeadQuarter>0</HeadQuarter><Language/><Activity/><AccountingCode/><Scoring/><Remainder>0</Remainder>
  <MaxRemainder>0</MaxRemainder><Moral>0</Moral><Folder>0</Folder><Currency/><BankReference>0</BankReference><TaxType>0</TaxType>
  <VatTaxValue>0</VatTaxValue><Creator>0</Creator><Delivery>0</Delivery><Billing>0</Billing><Effectif>0</Effectif><CA>0</CA>
  <IsNew>true</IsNew><AutomationRef>12</AutomationRef><InternalRef>0</InternalRef>
  <Contacts><ContactInfoAuto>
   <Author>0</Author><BusinessAddress/><BussinesTelephone>0140000001</BussinesTelephone><City/><Comment/><CompanyRef>0</CompanyRef>
   <Confidentiality>Undefined</Confidentiality><Country/><CreationDate>2024-05-14T09:30:00</CreationDate>
   <DateOfBirth>0001-01-01T00:00:00</DateOfBirth><Fax/><FirstName>Jean</FirstName><Function>CEO</Function><Genre>M.</Genre>
   <HomeAddress/><HomeTelephone/><IsNew>true</IsNew><Language/><LastName>Dupont</LastName><MobilePhone/>
   <ModificationDate>2024-05-14T09:30:00</ModificationDate><PrimaryMailAddress>jean.dupont@example.com</PrimaryMailAddress>
   <Rang>Principal</Rang><SecondaryMailAddress/><Service/><Type>0</Type><State/><ZipCode/><Desabo>false</Desabo>
   <NPai>false</NPai><InternalRef>0</InternalRef><AutomationRef>345</AutomationRef><Scoring>20</Scoring>
  </ContactInfoAuto></Contacts>
 </client></AddClientWithContacts></soap:Body>
</soap:Envelope>"#;
pub const ADD_CLIENT_WITH_CONTACTS_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <AddClientWithContactsResponse xmlns="http://webservice.ines.fr"><AddClientWithContactsResult>
  <Confidentiality>Undefined</Confidentiality><CompanyName>Dupont SA</CompanyName><Type>3</Type><Service/>
  <Address1>1 rue de la Paix</Address1><Address2/><ZipCode>75002</ZipCode><City>Paris</City><State/><Country>France</Country>
  <Phone>0140000000</Phone><Fax/><Website>https://dupont.example</Website><Comments/><Manager>0</Manager>
  <SalesResponsable>0</SalesResponsable><TechnicalResponsable>0</TechnicalResponsable><CreationDate>2024-05-14T09:30:00</CreationDate>
  <ModifiedDate>2024-05-14T09:30:00</ModifiedDate><Origin>0</Origin><CustomerNumber>0</CustomerNumber><CompanyTaxCode/>
  <VatTax>0</VatTax><Bank/><BankAccount/><PaymentMethod/><PaymentMethodRef>1</PaymentMethodRef><Discount>0</Discount>
  <HeadQuarter>0</HeadQuarter><Language/><Activity/><AccountingCode/><Scoring/><Remainder>0</Remainder>
  <MaxRemainder>0</MaxRemainder><Moral>0</Moral><Folder>0</Folder><Currency/><BankReference>0</BankReference><TaxType>0</TaxType>
  <VatTaxValue>0</VatTaxValue><Creator>0</Creator><Delivery>0</Delivery><Billing>0</Billing><Effectif>0</Effectif><CA>0</CA>
  <IsNew>true</IsNew><AutomationRef>12</AutomationRef><InternalRef>1650</InternalRef>
  <Contacts><ContactInfoAuto>
   <Author>0</Author><BusinessAddress/><BussinesTelephone>0140000001</BussinesTelephone><City/><Comment/><CompanyRef>1650</CompanyRef>
   <Confidentiality>Undefined</Confidentiality><Country/><CreationDate>2024-05-14T09:30:00</CreationDate>
   <DateOfBirth>0001-01-01T00:00:00</DateOfBirth><Fax/><FirstName>Jean</FirstName><Function>CEO</Function><Genre>M.</Genre>
   <HomeAddress/><HomeTelephone/><IsNew>true</IsNew><Language/><LastName>Dupont</LastName><MobilePhone/>
   <ModificationDate>2024-05-14T09:30:00</ModificationDate><PrimaryMailAddress>jean.dupont@example.com</PrimaryMailAddress>
   <Rang>Principal</Rang><SecondaryMailAddress/><Service/><Type>0</Type><State/><ZipCode/><Desabo>false</Desabo>
   <NPai>false</NPai><InternalRef>544</InternalRef><AutomationRef>345</AutomationRef><Scoring>20</Scoring>
  </ContactInfoAuto></Contacts>
 </AddClientWithContactsResult></AddClientWithContactsResponse>
</soap:Body></soap:Envelope>"#;

/// §8.4 AddContact
pub const ADD_CONTACT_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><AddContact xmlns="http://webservice.ines.fr">
  <contact>
   <Author>0</Author><BusinessAddress/><BussinesTelephone/><City/><Comment/><CompanyRef>0</CompanyRef>
   <Confidentiality>Undefined</Confidentiality><Country/><CreationDate>2024-05-15T11:00:00</CreationDate>
   <DateOfBirth>0001-01-01T00:00:00</DateOfBirth><Fax/><FirstName>Marie</FirstName><Function>DAF</Function><Genre>Mme</Genre>
   <HomeAddress/><HomeTelephone/><IsNew>true</IsNew><Language/><LastName>Martin</LastName><MobilePhone>0600000002</MobilePhone>
   <ModificationDate>2024-05-15T11:00:00</ModificationDate><PrimaryMailAddress>marie.martin@example.com</PrimaryMailAddress>
   <Rang>Principal</Rang><SecondaryMailAddress/><Service>Finance</Service><Type>0</Type><State/><ZipCode/><Desabo>false</Desabo>
   <NPai>false</NPai><InternalRef>0</InternalRef><AutomationRef>346</AutomationRef><Scoring>0</Scoring>
  </contact>
  <AutomationRef>346</AutomationRef><clientRef>1650</clientRef><scoring>0</scoring><desabo>false</desabo><npai>false</npai>
 </AddContact></soap:Body>
</soap:Envelope>"#;
pub const ADD_CONTACT_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <AddContactResponse xmlns="http://webservice.ines.fr"><AddContactResult>
  <Author>0</Author><BusinessAddress/><BussinesTelephone/><City/><Comment/><CompanyRef>1650</CompanyRef>
  <Confidentiality>Undefined</Confidentiality><Country/><CreationDate>2024-05-15T11:00:00</CreationDate>
  <DateOfBirth>0001-01-01T00:00:00</DateOfBirth><Fax/><FirstName>Marie</FirstName><Function>DAF</Function><Genre>Mme</Genre>
  <HomeAddress/><HomeTelephone/><IsNew>true</IsNew><Language/><LastName>Martin</LastName><MobilePhone>0600000002</MobilePhone>
  <ModificationDate>2024-05-15T11:00:00</ModificationDate><PrimaryMailAddress>marie.martin@example.com</PrimaryMailAddress>
  <Rang>Principal</Rang><SecondaryMailAddress/><Service>Finance</Service><Type>0</Type><State/><ZipCode/><Desabo>false</Desabo>
  <NPai>false</NPai><InternalRef>545</InternalRef><AutomationRef>346</AutomationRef><Scoring>0</Scoring>
 </AddContactResult></AddContactResponse>
</soap:Body></soap:Envelope>"#;

/// §8.5 GetContact
pub const GET_CONTACT_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><GetContact xmlns="http://webservice.ines.fr"><reference>544</reference></GetContact></soap:Body>
</soap:Envelope>"#;
pub const GET_CONTACT_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <GetContactResponse xmlns="http://webservice.ines.fr"><GetContactResult>
  <Author>0</Author><BusinessAddress/><BussinesTelephone>0140000001</BussinesTelephone><City/><Comment/><CompanyRef>1650</CompanyRef>
  <Confidentiality>Undefined</Confidentiality><Country/><CreationDate>2024-05-14T09:30:00</CreationDate>
  <DateOfBirth>0001-01-01T00:00:00</DateOfBirth><Fax/><FirstName>Jean</FirstName><Function>CEO</Function><Genre>M.</Genre>
  <HomeAddress/><HomeTelephone/><Language/><LastName>Dupont</LastName><MobilePhone/>
  <ModificationDate>2024-05-14T09:30:00</ModificationDate><PrimaryMailAddress>jean.dupont@example.com</PrimaryMailAddress>
  <Rang>Principal</Rang><SecondaryMailAddress/><Service/><Type>0</Type><State/><ZipCode/><InternalRef>544</InternalRef>
 </GetContactResult></GetContactResponse>
</soap:Body></soap:Envelope>"#;

/// §8.6 UpdateContact
pub const UPDATE_CONTACT_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><UpdateContact xmlns="http://webservice.ines.fr"><contact>
  <Author>0</Author><BusinessAddress/><BussinesTelephone>0140000001</BussinesTelephone><City/><Comment/><CompanyRef>1650</CompanyRef>
  <Confidentiality>Undefined</Confidentiality><Country/><CreationDate>2024-05-14T09:30:00</CreationDate>
  <DateOfBirth>0001-01-01T00:00:00</DateOfBirth><Fax/><FirstName>Jean</FirstName><Function>Directeur général</Function>
  <Genre>M.</Genre><HomeAddress/><HomeTelephone/><IsNew>false</IsNew><Language/><LastName>Dupont</LastName><MobilePhone/>
  <ModificationDate>2024-06-02T16:45:10</ModificationDate><PrimaryMailAddress>jean.dupont@example.com</PrimaryMailAddress>
  <Rang>Principal</Rang><SecondaryMailAddress/><Service/><Type>0</Type><State/><ZipCode/><Desabo>false</Desabo>
  <NPai>false</NPai><InternalRef>544</InternalRef><AutomationRef>345</AutomationRef><Scoring>35</Scoring>
 </contact></UpdateContact></soap:Body>
</soap:Envelope>"#;
pub const UPDATE_CONTACT_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <UpdateContactResponse xmlns="http://webservice.ines.fr"><UpdateContactResult>544</UpdateContactResult></UpdateContactResponse>
</soap:Body></soap:Envelope>"#;

/// §8.7 UpdateClient
pub const UPDATE_CLIENT_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><UpdateClient xmlns="http://webservice.ines.fr"><client>
  <Confidentiality>Undefined</Confidentiality><CompanyName>Dupont SA</CompanyName><Type>3</Type><Service/>
  <Address1>1 rue de la Paix</Address1><Address2/><ZipCode>75002</ZipCode><City>Paris</City><State/><Country>France</Country>
  <Phone>0140009999</Phone><Fax/><Website>https://dupont.example</Website><Comments/><Manager>0</Manager>
  <SalesResponsable>0</SalesResponsable><TechnicalResponsable>0</TechnicalResponsable><CreationDate>2024-05-14T09:30:00</CreationDate>
  <ModifiedDate>2024-06-02T16:45:11</ModifiedDate><Origin>0</Origin><CustomerNumber>0</CustomerNumber><CompanyTaxCode/>
  <VatTax>20.6</VatTax><Bank/><BankAccount/><PaymentMethod/><PaymentMethodRef>1</PaymentMethodRef><Discount>0</Discount>
  <HeadQuarter>0</HeadQuarter><Language/><Activity/><AccountingCode/><Scoring/><Remainder>0</Remainder>
  <MaxRemainder>0</MaxRemainder><Moral>0</Moral><Folder>0</Folder><Currency/><BankReference>0</BankReference><TaxType>0</TaxType>
  <VatTaxValue>0</VatTaxValue><Creator>0</Creator><Delivery>0</Delivery><Billing>0</Billing><Effectif>0</Effectif><CA>0</CA>
  <IsNew>false</IsNew><AutomationRef>12</AutomationRef><InternalRef>1650</InternalRef>
 </client></UpdateClient></soap:Body>
</soap:Envelope>"#;
pub const UPDATE_CLIENT_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <UpdateClientResponse xmlns="http://webservice.ines.fr"><UpdateClientResult>
  <Confidentiality>Undefined</Confidentiality><CompanyName>Dupont SA</CompanyName><Type>3</Type><Service/>
  <Address1>1 rue de la Paix</Address1><Address2/><ZipCode>75002</ZipCode><City>Paris</City><State/><Country>France</Country>
  <Phone>0140009999</Phone><Fax/><Website>https://dupont.example</Website><Comments/><Manager>0</Manager>
  <SalesResponsable>0</SalesResponsable><TechnicalResponsable>0</TechnicalResponsable><CreationDate>2024-05-14T09:30:00</CreationDate>
  <ModifiedDate>2024-06-02T16:45:11</ModifiedDate><Origin>0</Origin><CustomerNumber>0</CustomerNumber><CompanyTaxCode/>
  <VatTax>20.6</VatTax><Bank/><BankAccount/><PaymentMethod/><PaymentMethodRef>1</PaymentMethodRef><Discount>0</Discount>
  <HeadQuarter>0</HeadQuarter><Language/><Activity/><AccountingCode/><Scoring/><Remainder>0</Remainder>
  <MaxRemainder>0</MaxRemainder><Moral>0</Moral><Folder>0</Folder><Currency/><BankReference>0</BankReference><TaxType>0</TaxType>
  <VatTaxValue>0</VatTaxValue><Creator>0</Creator><Delivery>0</Delivery><Billing>0</Billing><Effectif>0</Effectif><CA>0</CA>
  <InternalRef>1650</InternalRef>
 </UpdateClientResult></UpdateClientResponse>
</soap:Body></soap:Envelope>"#;

/// §8.8 GetSyncInfo
pub const GET_SYNC_INFO_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><GetSyncInfo xmlns="http://webservice.ines.fr"/></soap:Body>
</soap:Envelope>"#;
pub const GET_SYNC_INFO_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <GetSyncInfoResponse xmlns="http://webservice.ines.fr"><GetSyncInfoResult>
  <LeadRef>2</LeadRef><SocieteType>3</SocieteType>
  <CompanyCustomFields>
   <CustomFieldToAuto><InesID>21</InesID><InesName>Secteur</InesName><Type>list</Type>
    <ValueList><string>Industrie</string><string>Services</string></ValueList></CustomFieldToAuto>
  </CompanyCustomFields>
  <ContactCustomFields>
   <CustomFieldToAuto><InesID>17</InesID><InesName>Niveau</InesName><Type>list</Type>
    <ValueList><string>Bronze</string><string>Silver</string><string>Gold</string></ValueList></CustomFieldToAuto>
   <CustomFieldToAuto><InesID>18</InesID><InesName>Premier contact</InesName><Type>date</Type><ValueList/></CustomFieldToAuto>
   <CustomFieldToAuto><InesID>19</InesID><InesName>Newsletter</InesName><Type>boolean</Type><ValueList/></CustomFieldToAuto>
  </ContactCustomFields>
 </GetSyncInfoResult></GetSyncInfoResponse>
</soap:Body></soap:Envelope>"#;

/// §8.9 GetContactCF with two values
pub const GET_CONTACT_CF_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><GetContactCF xmlns="http://webservice.ines.fr"><reference>544</reference></GetContactCF></soap:Body>
</soap:Envelope>"#;
pub const GET_CONTACT_CF_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <GetContactCFResponse xmlns="http://webservice.ines.fr"><GetContactCFResult>
  <Values>
   <CustomField><Ref>9001</Ref><DefinitionRef>17</DefinitionRef><Value>Gold</Value></CustomField>
   <CustomField><Ref>9003</Ref><DefinitionRef>18</DefinitionRef><Value>2024-05-01T00:00:00</Value></CustomField>
  </Values>
  <Definitions>
   <CustomFieldDefinition><Ref>17</Ref></CustomFieldDefinition><CustomFieldDefinition><Ref>18</Ref></CustomFieldDefinition>
   <CustomFieldDefinition><Ref>19</Ref></CustomFieldDefinition>
  </Definitions>
  <Groups/>
 </GetContactCFResult></GetContactCFResponse>
</soap:Body></soap:Envelope>"#;

/// §8.10 InsertContactCF
pub const INSERT_CONTACT_CF_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><InsertContactCF xmlns="http://webservice.ines.fr">
  <ctRef>544</ctRef><chdefRef>19</chdefRef><chpValue>true</chpValue><chvLies>0</chvLies><chvGroupeAssoc>0</chvGroupeAssoc>
 </InsertContactCF></soap:Body>
</soap:Envelope>"#;
pub const INSERT_CONTACT_CF_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <InsertContactCFResponse xmlns="http://webservice.ines.fr">
  <InsertContactCFResult>9004</InsertContactCFResult></InsertContactCFResponse>
</soap:Body></soap:Envelope>"#;

/// §8.11 AddLead
pub const ADD_LEAD_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><AddLead xmlns="http://webservice.ines.fr"><info>
  <ClRef>1650</ClRef><CtRef>544</CtRef><MailExpe>jean.dupont@example.com</MailExpe><AutomationScoring>20</AutomationScoring>
  <FileRef>2</FileRef><DescriptionCourte>Form submission: Contact us</DescriptionCourte><ReclaDescDetail/>
  <CriticiteRef>0</CriticiteRef><TypeRef>0</TypeRef><EtatRef>0</EtatRef><OrigineRef>0</OrigineRef><DossierRef>0</DossierRef>
  <CampagneRef>0</CampagneRef><ArticleRef>0</ArticleRef><ReclaMere>0</ReclaMere><Propietaire>0</Propietaire>
  <Gestionnaire>0</Gestionnaire>
 </info></AddLead></soap:Body>
</soap:Envelope>"#;
pub const ADD_LEAD_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <AddLeadResponse xmlns="http://webservice.ines.fr"><AddLeadResult>7788</AddLeadResult></AddLeadResponse>
</soap:Body></soap:Envelope>"#;

/// §8.12 DeleteAutomationContact
pub const DELETE_AUTOMATION_CONTACT_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><DeleteAutomationContact xmlns="http://webservice.ines.fr"><InesRef>544</InesRef></DeleteAutomationContact></soap:Body>
</soap:Envelope>"#;
pub const DELETE_AUTOMATION_CONTACT_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <DeleteAutomationContactResponse xmlns="http://webservice.ines.fr">
  <DeleteAutomationContactResult>Success</DeleteAutomationContactResult>
 </DeleteAutomationContactResponse>
</soap:Body></soap:Envelope>"#;

/// §8.13 Session expired
pub const SESSION_EXPIRED_REQUEST: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
 <soap:Header><SessionID xmlns="http://webservice.ines.fr"><ID>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</ID></SessionID></soap:Header>
 <soap:Body><GetClient xmlns="http://webservice.ines.fr"><reference>1650</reference></GetClient></soap:Body>
</soap:Envelope>"#;
pub const SESSION_EXPIRED_RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
 <soap:Fault>
  <faultcode>soap:Client</faultcode>
  <faultstring>Session expired or invalid</faultstring>
  <detail/>
 </soap:Fault>
</soap:Body></soap:Envelope>"#;

/// §8.1 Login, success (bodies only)
pub const LOGIN_REQUEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://webservice.ines.fr">
  <SOAP-ENV:Body><ns1:authenticationWs><ns1:request>
    <ns1:compte>ACME</ns1:compte><ns1:userName>jdupont</ns1:userName><ns1:password>s3cret</ns1:password>
  </ns1:request></ns1:authenticationWs></SOAP-ENV:Body>
</SOAP-ENV:Envelope>"#;
pub const LOGIN_RESPONSE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
  <authenticationWsResponse xmlns="http://webservice.ines.fr"><authenticationWsResult>
    <codeReturn>ok</codeReturn><idSession>9c1f6d0e4b2a47d8a3e5f7b9c2d4e6f8</idSession>
  </authenticationWsResult></authenticationWsResponse>
</soap:Body></soap:Envelope>"#;
